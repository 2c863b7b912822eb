"""Citing outside records in a determination's step in a real browser: the records ticked
with their pages, saved with the step and listed on the review page, at desktop and phone
widths."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.models import Case, User
from outside_records import services as record_services
from tests.support.outside_records import pdf_with_text, upload

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Lisa R. (Gulf Coast Casualty, Dr Chen): no determination yet in the demo.
LISA = "GCC-2026-0202"


def test_records_ticked_with_their_pages_are_saved_and_reviewed(app):
    case = Case.objects.get(claim_number=LISA)
    chen = User.objects.get(username="dr.chen")
    draft = services.determination_start(case=case, started_by=chen)
    for name, kind, author in [
        ("mri-lumbar.pdf", "imaging", "Gulf Coast Imaging, Dr. Samuel Okafor, radiology"),
        ("fce.pdf", "fce", "Bayou Work Rehabilitation"),
    ]:
        record_services.records_upload(
            case=case,
            files=[upload(name, pdf_with_text(f"Report {name}", pages=12))],
            details=record_services.RecordDetails(
                document_type=kind,
                received_on=timezone.localdate(),
                received_from="Gulf Coast Casualty, claims department",
                author=author,
            ),
            by=chen,
        )
    page = app.page
    app.log_in("dr.chen")
    app.visit(reverse("determination-step", args=[draft.pk, "clinical"]))
    page.get_by_label("Exam date").fill(timezone.localdate().isoformat())
    page.get_by_label("History").fill("Lifted a pallet; physical therapy since.")
    page.get_by_label("Examination findings").fill("Flexion limited to 60 degrees.")
    page.get_by_label("Psychological readiness to return to work").select_option("ready")
    page.get_by_label("Imaging by Gulf Coast Imaging, Dr. Samuel Okafor, radiology").check()
    pages = page.locator(".citation").filter(has_text="mri-lumbar.pdf").get_by_label("Pages cited")
    pages.fill("13")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Page 13 is past the end: this record has 12 pages.")).to_be_visible()
    pages.fill("3, 7-9")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Step 1: Clinical evaluation saved.")).to_be_visible()
    expect(pages).to_have_value("3, 7–9")
    app.audit("determination-step-citations")

    app.visit(reverse("determination-review", args=[draft.pk]))
    reviewed = page.locator(".records-reviewed")
    expect(reviewed).to_contain_text("Gulf Coast Imaging, Dr. Samuel Okafor, radiology")
    expect(reviewed).to_contain_text("pages cited: 3, 7–9 · step 1")
    app.audit("determination-review-citations")
