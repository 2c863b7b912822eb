"""The legal clock end to end in a real browser, on the demo data (docs/architecture.md, "The
legal clock"): the doctor signs a Texas certification, the carrier's adjuster is told in the
app and downloads it, which records the carrier's delivery, the case manager records the copy
mailed to the employee, and the case page shows each party's own window (Labor Code
§408.123(e), 28 TAC 130.12(b): each party's 90 days count from its own delivery)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.management.commands.seed_demo import DEMO_PASSWORD
from cases.models import Case, Determination, User
from cases.templatetags.dates import day
from deliveries.models import Delivery, Recipient
from deliveries.selectors import party_windows
from tests.support.determinations import complete_draft

pytestmark = [
    pytest.mark.browser,
    pytest.mark.pdf,
    pytest.mark.django_db(transaction=True),
]


def texas_case_ready_to_sign() -> Determination:
    """A Texas case of Gulf Coast Casualty that Dr Chen treats and nobody has certified yet,
    with her determination filled in up to the signature."""
    case = (
        Case.objects.filter(
            jurisdiction="TX",
            insurer__name="Gulf Coast Casualty",
            care_team__username="dr.chen",
            determinations__isnull=True,
        )
        .order_by("claim_number")
        .first()
    )
    assert case is not None, "the demo has a Texas case of Dr Chen's still to certify"
    chen = User.objects.get(username="dr.chen")
    return complete_draft(services.determination_start(case=case, started_by=chen), chen)


def test_the_doctor_signs_the_adjuster_downloads_the_case_manager_mails_and_both_windows_run(
    app,
):
    page = app.page
    draft = texas_case_ready_to_sign()
    case = draft.case

    # The doctor signs.
    app.log_in("dr.chen")
    app.visit(reverse("determination-review", args=[draft.pk]))
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("checkbox", name=re.compile(r"^I certify")).check()
    page.get_by_role("button", name="Sign the certification").click()
    expect(page.get_by_role("status").filter(has_text="is signed.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Log out")).click()

    # The carrier's adjuster sees a notification in the navigation bar and follows it.
    app.log_in("adj.gulf")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^Notifications \d+ unread"))).to_be_visible()
    nav.get_by_role("link", name=re.compile(r"^Notifications")).click()
    told = page.get_by_role("link", name=re.compile(rf"signed .* on claim {case.claim_number}"))
    expect(told).to_be_visible()
    app.audit("legal-clock-notification")
    told.click()
    assert not Delivery.objects.filter(case=case).exists()

    # Downloading the certification is the carrier's delivery, recorded by itself.
    filename, text = app.download_pdf_text("MMI certification v1")
    assert case.claim_number in filename and case.claim_number in text
    delivery = Delivery.objects.get(case=case)
    assert delivery.method == "portal"
    assert delivery.recipient.party == "carrier"
    assert delivery.recorded_by.username == "adj.gulf"

    # The case manager records the copy mailed to the employee today.
    page.get_by_role("button", name=re.compile("Log out")).click()
    app.log_in("cm.jones")
    app.visit(case.get_absolute_url())
    section = page.get_by_role("region", name="Deliveries and dispute windows")
    employee = Recipient.objects.get(determination__case=case, party="employee")
    section.get_by_text("Record a delivery").click()
    section.get_by_label("Copy for").select_option(str(employee.pk))
    section.get_by_label("Sent by").select_option("mail")
    section.get_by_label("Delivered on").fill(str(timezone.localdate()))
    section.get_by_label("Sent to").fill("12 Elm St, Houston, TX 77002")
    section.get_by_role("button", name="Record delivery").click()

    # The case page shows each party's own window, from its own delivery.
    section = page.get_by_role("region", name="Deliveries and dispute windows")
    expect(section).to_be_visible()
    windows = {
        row.recipient.party: row.window
        for row in party_windows(Determination.objects.get(case=case))
    }
    for party, label in (("carrier", "Insurance carrier"), ("employee", "Injured employee")):
        expect(section.get_by_role("listitem").filter(has_text=label).first).to_contain_text(
            f"Window open until {day(windows[party].last_day)}"
        )
    expect(section).to_contain_text("Mail on")
    app.audit("legal-clock-windows")

    # And logs the letter in the case's notes, where the adjuster reads it too.
    notes = page.get_by_role("region", name="Notes")
    notes.get_by_role("link", name="New note").click()
    page.get_by_label("Kind").select_option("letter")
    page.get_by_label("With a party of the case").select_option("employee")
    page.get_by_label("What was said or done").fill("Mailed the certification <b>first class</b>.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status").filter(has_text="The note was added.")).to_be_visible()
    note = page.get_by_role("region", name="Notes").get_by_role("listitem").first
    expect(note).to_contain_text("Mailed the certification <b>first class</b>.")
    expect(note).to_contain_text(f"with the employee ({case.patient})")
    page.get_by_role("region", name="Notes").get_by_role("link", name="Whole log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notes")
    app.audit("notes-log")
