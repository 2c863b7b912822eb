"""Reading a record's pages on the task queue: the PDF's own text, OCR of a scan (with
Tesseract; skipped without it unless REQUIRE_OCR is set), what the page says without OCR,
the progress of a long file, and the pictures of its pages."""

import os

import pytest
from django.urls import reverse

from audit.models import AccessLogEntry
from outside_records import reading
from outside_records.models import Reading, StoredFile
from tests.support.cast import client_for
from tests.support.outside_records import pdf_bytes, pdf_with_text, record_on, scanned_page

pytestmark = pytest.mark.usefixtures("module_cast")


def read_now(case, by, content, captured, **kwargs):
    with captured(execute=True):
        record = record_on(case, by, content=content, **kwargs)
    record.stored_file.refresh_from_db()
    return record


def detail(cast, record, user=None):
    url = reverse("outside_records:record-detail", args=[record.pk])
    return client_for(user or cast.clinician).get(url).content.decode()


def test_a_pdf_with_text_of_its_own_is_read_page_by_page(cast, django_capture_on_commit_callbacks):
    record = read_now(
        cast.case,
        cast.case_manager,
        pdf_with_text("Lumbar fusion recommended"),
        django_capture_on_commit_callbacks,
    )
    stored = record.stored_file
    assert (stored.reading, stored.pages_read) == (Reading.READ, 1)
    [page] = stored.pages.all()
    assert "Lumbar fusion recommended" in page.text and not page.recognised
    assert "Lumbar fusion recommended" in detail(cast, record)


@pytest.mark.skipif(
    not reading.tesseract_available() and not os.environ.get("REQUIRE_OCR"),
    reason="Tesseract is not installed (set REQUIRE_OCR=1 to make this a failure)",
)
def test_a_scanned_page_is_read_by_ocr(cast, django_capture_on_commit_callbacks):
    record = read_now(
        cast.case,
        cast.case_manager,
        scanned_page("HERNIATED DISC L4"),
        django_capture_on_commit_callbacks,
        name="scan.png",
    )
    [page] = record.stored_file.pages.all()
    assert page.recognised
    assert "HERNIATED" in page.text.upper() and "DISC" in page.text.upper()
    assert "read by OCR" in detail(cast, record)


def test_without_ocr_a_scan_is_said_not_searchable(
    cast, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(reading, "tesseract_available", lambda: False)
    record = read_now(
        cast.case,
        cast.case_manager,
        scanned_page("NOT READ"),
        django_capture_on_commit_callbacks,
        name="scan.png",
    )
    assert record.stored_file.scans_unread == 1
    assert record.stored_file.reading == Reading.READ
    assert "1 page is a scan without text of its own" in detail(cast, record)
    assert "not searchable" in detail(cast, record)


def test_a_long_file_shows_how_far_its_reading_has_got(cast):
    record = record_on(cast.case, cast.case_manager, content=pdf_bytes(40))
    StoredFile.objects.filter(pk=record.stored_file_id).update(
        reading=Reading.READING, pages_read=12
    )
    assert "Being read: 12 of 40 pages done" in detail(cast, record)


def test_a_page_picture_is_a_png_and_is_logged(cast):
    record = record_on(cast.case, cast.case_manager, content=pdf_bytes(2))
    client = client_for(cast.adjuster)
    url = reverse("outside_records:record-page-image", args=[record.pk, 2])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLogEntry.objects.first().detail == f"Outside record {record.pk}, page 2"
    past = reverse("outside_records:record-page-image", args=[record.pk, 3])
    assert client.get(past).status_code == 404


def test_the_adjuster_gets_no_page_of_a_clinical_only_record(cast):
    record = record_on(cast.case, cast.clinician, clinical_only=True)
    url = reverse("outside_records:record-page-image", args=[record.pk, 1])
    assert client_for(cast.adjuster).get(url).status_code == 404
    assert client_for(cast.clinician).get(url).status_code == 200
