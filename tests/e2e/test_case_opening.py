"""A case manager opens a case without the Django admin: the patient found by typing, a new
employer added on the form itself."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case, Organisation, Patient

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def field(page: Page, name: str):
    return page.locator(f"[name='{name}']")


def test_case_manager_opens_a_case_for_a_patient_found_by_typing_adding_a_new_employer(app):
    page = app.page
    app.log_in("cm.jones")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="Open a case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case")

    # The patient, found by typing part of a name: the list follows as one types.
    page.get_by_label("Find a patient on file").press_sequentially("davi", delay=40)
    john = page.get_by_role("radio", name="John Davis, born 12 Apr 1979")
    expect(john).to_be_visible()
    john.check()
    # Enter in the search box looks up again in place, and keeps the patient picked.
    page.get_by_label("Find a patient on file").fill("1979-04-12")
    page.get_by_label("Find a patient on file").press("Enter")
    expect(page.get_by_role("radio", name="John Davis, born 12 Apr 1979")).to_be_checked()
    expect(page).to_have_url(re.compile(r"/cases/open/$"))

    field(page, "case-claim_number").fill("LSM-2026-9050")
    field(page, "case-jurisdiction").select_option("TX")
    field(page, "case-date_of_injury").fill(str(timezone.localdate()))
    field(page, "case-body_part").select_option("shoulder")
    field(page, "case-insurer").select_option(label="Lone Star Mutual")

    # An employer not on file yet, added without leaving the form.
    page.get_by_text("Add an employer not listed").click()
    page.get_by_label("Employer's name").fill("Hill Country Plumbing")
    page.get_by_label("Employer's phone").fill("(512) 555-0147")
    page.get_by_role("checkbox", name="Emily Chen").check()
    app.audit("case-open-patient-found-employer-added")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Case LSM-2026-9050 opened.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("John Davis")
    expect(page.locator("#overview")).to_contain_text("Hill Country Plumbing")
    app.audit("case-opened-for-patient-on-file")

    case = Case.objects.get(claim_number="LSM-2026-9050")
    assert case.employer.kind == Organisation.Kind.EMPLOYER
    assert Patient.objects.filter(first_name="John", last_name="Davis").count() == 1
    assert case.patient.cases.count() > 1

    # The patient's details, edited from the case page.
    page.get_by_role("link", name="Edit patient details").click()
    page.get_by_label("Phone").fill("(210) 555-0199")
    app.audit("patient-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="John Davis were saved")).to_be_visible()
    assert reverse("case-detail", args=[case.pk]) in page.url


def test_without_javascript_the_patient_is_found_with_the_find_button_and_the_employer_added(
    app_without_js,
):
    app, page = app_without_js, app_without_js.page
    app.log_in("cm.jones")
    app.visit(reverse("case-open"))
    field(page, "case-claim_number").fill("LSM-2026-9051")
    page.get_by_label("Find a patient on file").fill("Davis")
    page.get_by_role("button", name="Find", exact=True).click()
    # The form comes back as typed, unjudged, with the patients found.
    expect(field(page, "case-claim_number")).to_have_value("LSM-2026-9051")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("radio", name="John Davis, born 12 Apr 1979").check()

    field(page, "case-jurisdiction").select_option("TX")
    field(page, "case-date_of_injury").fill(str(timezone.localdate()))
    field(page, "case-body_part").select_option("knee")
    field(page, "case-insurer").select_option(label="Lone Star Mutual")
    page.get_by_text("Add an employer not listed").click()
    page.get_by_label("Employer's name").fill("Pedernales Roofing")
    app.audit("case-open-without-javascript", axe=False)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Case LSM-2026-9051 opened.")).to_be_visible()
    case = Case.objects.get(claim_number="LSM-2026-9051")
    assert (case.patient.last_name, case.employer.name) == ("Davis", "Pedernales Roofing")
    app.assert_no_broken_resources()
