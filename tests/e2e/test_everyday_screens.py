"""The everyday screens each role starts from, in Chromium at desktop and phone widths: what
leads the clinician's home, the search in the navigation bar, what stands out on the board
and the case list, the adjuster's own insurer, and the record of what a dispute is about."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LISA = "GCC-2026-0202"
VICTOR = "LSM-2026-0310"
TARA = "GCC-2026-0311"
DEREK = "LSM-2026-0304"


def row_of(where, claim: str):
    return where.locator("tr").filter(has_text=claim)


def test_a_clinician_starts_from_the_cases_ready_for_review_and_finds_a_case_by_name(app):
    page = app.page
    app.log_in("dr.chen")

    ready = page.get_by_role("region", name=re.compile(r"^Ready for MMI review"))
    expect(ready).to_be_visible()
    expect(row_of(ready, LISA)).to_contain_text("Plateau candidate")
    app.audit("clinician-home-ready-for-review")

    search = page.get_by_role("searchbox", name=re.compile(r"^Find a case"))
    search.fill("Reed")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/cases/\?q=Reed"))
    expect(page.get_by_role("link", name=LISA)).to_be_visible()
    expect(page.get_by_role("link", name=VICTOR)).to_have_count(0)
    app.audit("nav-search-results")


def test_the_board_and_the_case_list_show_what_needs_the_case_manager(app):
    page = app.page
    Case.objects.get(claim_number=VICTOR).care_team.clear()
    app.log_in("cm.jones")

    nobody = page.get_by_role("region", name=re.compile(r"^No clinician assigned"))
    expect(row_of(nobody, VICTOR)).to_be_visible()
    app.audit("board-no-clinician")

    app.visit(reverse("case-list"))
    expect(row_of(page, VICTOR)).to_contain_text("Overdue")
    closed = row_of(page, TARA)
    expect(closed).to_contain_text("Closed")
    expect(closed).not_to_contain_text("Overdue")
    app.audit("case-list-overdue")

    # On a phone the results come first; the filters wait behind their button.
    page.set_viewport_size({"width": 390, "height": 900})
    app.visit(reverse("case-list"))
    expect(page.get_by_label("Case manager")).to_be_hidden()
    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_label("Case manager")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_dispute_records_what_is_disputed(app):
    page = app.page
    app.log_in("cm.jones")
    determination = Case.objects.get(claim_number=DEREK).determinations.signed().get()
    app.visit(reverse("dispute-add", args=[determination.pk]))
    issue = page.get_by_label("What is disputed")
    expect(issue).to_be_visible()
    expect(issue.locator("option")).to_contain_text(["MMI date", "rating"])
    app.audit("dispute-what-is-disputed")


def test_an_adjuster_filters_by_their_own_insurer_only(app):
    page = app.page
    app.log_in("adj.lonestar")
    app.visit(reverse("case-list"))
    insurer = page.get_by_label("Insurer")
    expect(insurer.locator("option")).to_have_text(["Any insurer", "Lone Star Mutual"])
    app.audit("adjuster-case-list-own-insurer")


def test_a_clinician_is_picked_by_typing_their_name(app):
    page = app.page
    app.log_in("cm.jones")
    app.visit(reverse("case-list"))
    if not page.get_by_role("combobox", name="Clinician").is_visible():
        page.get_by_text("Filters", exact=True).click()
    clinician = page.get_by_role("combobox", name="Clinician")
    clinician.fill("pat")
    expect(page.get_by_role("option", name="Raj Patel")).to_be_visible()
    app.audit("case-list-person-suggested")
    clinician.press("ArrowDown")
    clinician.press("Enter")
    expect(clinician).to_have_value("Raj Patel")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"clinician=\d+"))
    expect(page.get_by_role("combobox", name="Clinician")).to_have_value("Raj Patel")
    patel = {c.claim_number for c in Case.objects.filter(care_team__username="dr.patel")}
    shown = set(page.locator("table.case-table tbody a").all_inner_texts())
    assert shown and shown <= patel


def test_the_browser_finds_the_favicon(app):
    icon = app.page.request.get(app.url("/favicon.ico"))
    assert icon.ok
    assert icon.headers["content-type"].startswith("image/")
