"""With JavaScript switched off every page still reads and every form still saves: htmx and
Bootstrap's scripts only enhance."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.management.commands.seed_demo import DEMO_PASSWORD
from cases.models import Assessment, Case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

JOHN = "LSM-2026-0101"


def fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        control = page.locator(f"[name='{name}']")
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def save(page: Page, button: str, message: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("status").filter(has_text=message)).to_be_visible()


def test_clinician_reads_the_case_and_saves_every_record_form_without_javascript(app_without_js):
    app, page = app_without_js, app_without_js.page
    today = timezone.localdate()
    john = Case.objects.get(claim_number=JOHN)
    app.log_in("dr.chen")
    app.visit(reverse("case-detail", args=[john.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("John Davis")
    expect(page.get_by_role("heading", name="Treatments")).to_be_visible()
    app.audit("no-js-case", axe=False)

    page.get_by_role("link", name="Record an assessment").click()
    page.get_by_label("Date").first.fill(str(today))
    page.get_by_role("textbox", name=re.compile(r"^ODI")).fill("35")
    page.get_by_role("textbox", name=re.compile(r"^Pain now")).fill("4")
    save(page, "Save assessment", "The assessment was saved.")
    assert Assessment.objects.filter(case=john, date=today).exists()

    app.visit(reverse("record-add", args=[john.pk, "treatments"]))
    fill(
        page,
        {
            "kind": "work_hardening",
            "description": "Work conditioning, four weeks",
            "start_date": str(today - timedelta(days=3)),
        },
    )
    save(page, "Save", "The treatment was saved.")

    app.visit(reverse("record-add", args=[john.pk, "diagnostics"]))
    fill(
        page,
        {
            "kind": "xray",
            "date": str(today),
            "findings": "No change since the MRI.",
            "stability": "stable",
        },
    )
    save(page, "Save", "The diagnostic test was saved.")

    app.visit(reverse("record-add", args=[john.pk, "consultations"]))
    fill(
        page,
        {
            "kind": "designated_doctor",
            "date": str(today),
            "consultant": "Dr. Ruth Lane",
            "opinion": "At maximum medical improvement.",
            "mmi_opinion": "agrees",
        },
    )
    save(page, "Save", "The consultation was saved.")

    app.visit(reverse("work-status-add", args=[john.pk]))
    fill(
        page,
        {
            "kind": "restricted",
            "effective_from": str(today),
            "expected_through": str(today + timedelta(days=60)),
            "restrictions-0-category": "lift_carry",
            "restrictions-0-activity": "lift",
            "restrictions-0-max_pounds": "25",
            "restrictions-0-frequency": "occasional",
        },
    )
    save(page, "Save work status", "The work status was saved.")
    expect(page.locator("#work-status")).to_contain_text("lift")
    app.assert_no_broken_resources()


def test_case_manager_opens_and_edits_a_case_without_javascript(app_without_js):
    app, page = app_without_js, app_without_js.page
    today = timezone.localdate()
    app.log_in("cm.jones")
    expect(page.get_by_role("heading", name="MMI status board")).to_be_visible()

    app.visit(reverse("case-list") + "?q=Davis")
    expect(page.get_by_role("link", name=JOHN)).to_be_visible()

    app.visit(reverse("case-open"))
    fill(
        page,
        {
            "patient-first_name": "Omar",
            "patient-last_name": "Haddad",
            "patient-date_of_birth": "1979-11-30",
            "case-claim_number": "GCC-2026-9100",
            "case-jurisdiction": "TX",
            "case-date_of_injury": str(today - timedelta(days=2)),
            "case-body_part": "shoulder",
        },
    )
    page.locator("[name='case-employer']").select_option(label="Bayou Builders")
    page.locator("[name='case-insurer']").select_option(label="Gulf Coast Casualty")
    page.get_by_role("checkbox", name="Raj Patel").check()
    save(page, "Save", "Case GCC-2026-9100 opened.")

    page.get_by_role("link", name="Edit case details").click()
    fill(page, {"case-next_review_date": str(today + timedelta(days=14))})
    save(page, "Save", "Case details saved.")
    case = Case.objects.get(claim_number="GCC-2026-9100")
    assert case.next_review_date == today + timedelta(days=14)
    app.assert_no_broken_resources()


def test_clinician_walks_and_signs_a_determination_without_javascript(app_without_js):
    app, page = app_without_js, app_without_js.page
    today = str(timezone.localdate())
    lisa = Case.objects.get(claim_number="GCC-2026-0202")
    app.log_in("dr.chen")
    app.visit(reverse("case-detail", args=[lisa.pk]))
    page.get_by_role("button", name="Start MMI determination").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1: Clinical evaluation")

    next_step = re.compile(r"^Save and (continue|review)")
    fill(
        page,
        {
            "exam_date": today,
            "history": "Fell from a ladder.",
            "objective_findings": "Painful arc.",
            "psychological_readiness": "ready",
        },
    )
    page.get_by_role("button", name=next_step).click()
    page.locator("[name='interpretation']").fill("Flat for three months.")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name=next_step).click()
    page.get_by_role("radio", name="Reviewed: stable").check()
    page.get_by_role("button", name=next_step).click()
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name=next_step).click()
    fill(page, {"certifier_role": "treating", "mmi_type": "clinical"})
    page.locator("[name='guides_edition']").select_option(label="AMA Guides, 4th edition")
    page.get_by_role("button", name=next_step).click()
    page.get_by_role("radio", name="Yes: at MMI").check()
    page.get_by_role("radio", name="Permanent impairment of N % whole person").check()
    page.get_by_label("MMI does not depend on any future treatment or event.").check()
    fill(page, {"mmi_date": today, "impairment_rating": "3", "rationale": "Plateaued."})
    page.get_by_role("button", name=next_step).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Review and sign")
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("checkbox", name=re.compile(r"^I certify")).check()
    page.get_by_role("button", name="Sign the certification").click()
    expect(page.get_by_role("status").filter(has_text="is signed")).to_be_visible()
    assert lisa.determinations.signed().get().impairment_rating == 3
    app.assert_no_broken_resources()
