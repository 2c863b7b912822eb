"""The outside records' journey in a real browser: the doctor uploads a scanned report, finds
a word of it by the case's search (read by OCR), cites it in step 3 of the determination,
signs, and reads it listed in the certification."""

import os
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.management.commands.seed_demo import DEMO_PASSWORD
from cases.models import Case, User
from outside_records import reading
from tests.support.determinations import complete_draft
from tests.support.outside_records import scanned_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.pdf,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not reading.tesseract_available() and not os.environ.get("REQUIRE_OCR"),
        reason="Tesseract is not installed (set REQUIRE_OCR=1 to make this a failure)",
    ),
]

# Lisa R. (Gulf Coast Casualty, Dr Chen): no determination yet in the demo.
LISA = "GCC-2026-0202"
# Reading a scan by OCR takes seconds on a busy machine; the upload waits for it here,
# since tasks run inline without a broker.
READING = 120_000


def test_a_scan_is_uploaded_found_by_a_word_cited_in_step_3_and_listed_when_signed(app, tmp_path):
    case = Case.objects.get(claim_number=LISA)
    page = app.page
    app.log_in("dr.chen")
    app.visit(case.get_absolute_url())

    page.get_by_role("link", name="Add records").click()
    scan = tmp_path / "mri-report-scan.png"
    scan.write_bytes(scanned_page("SPONDYLOLISTHESIS GRADE ONE"))
    page.get_by_label("Files").set_input_files(scan)
    page.get_by_label("Document type").select_option(label="Imaging")
    page.get_by_label("Author or facility").fill("Gulf Coast Imaging")
    page.get_by_label("Received on").fill(timezone.localdate().isoformat())
    page.get_by_label("Received from").fill("Gulf Coast Casualty")
    with page.expect_navigation(timeout=READING):
        page.get_by_role("button", name="Add records").click()
    app.audit("outside-records-added")

    app.visit(case.get_absolute_url())
    page.get_by_label("Search these records' text").fill("spondylolisthesis")
    page.get_by_label("Search these records' text").press("Enter")
    found = page.locator("main")
    expect(found).to_contain_text("p. 1")
    expect(found.locator("mark").first).to_have_text(re.compile("spondylolisthesis", re.I))
    app.audit("outside-records-found")

    chen = User.objects.get(username="dr.chen")
    draft = services.determination_start(case=case, started_by=chen)
    complete_draft(draft, chen)
    app.visit(reverse("determination-step", args=[draft.pk, "diagnostics"]))
    page.get_by_label("Imaging by Gulf Coast Imaging").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Step 3: Diagnostic testing saved.")).to_be_visible()

    app.visit(reverse("determination-review", args=[draft.pk]))
    expect(page.locator(".records-reviewed")).to_contain_text("Gulf Coast Imaging")
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("checkbox", name=re.compile(r"^I certify")).check()
    page.get_by_role("button", name="Sign the certification").click()
    expect(page.get_by_text("MMI determination v1 is signed.")).to_be_visible()

    _, text = app.download_pdf_text("MMI certification v1")
    squeezed = " ".join(text.split())
    assert "Medical records reviewed" in squeezed
    assert "Gulf Coast Imaging" in squeezed and "Gulf Coast Casualty" in squeezed
