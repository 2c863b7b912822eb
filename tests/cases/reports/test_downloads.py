"""One door for every download (cases/reports/downloads.py): a page's PDF, the API's issued
report and a bulk export's ZIP all answer as an attachment no shared cache keeps, with the
SHA-256 of the bytes in Repr-Digest, and each download is one access log entry."""

import base64
import hashlib

from django.urls import reverse

from audit.models import AccessLogEntry
from cases.reports.downloads import Download, respond
from tests.support.api import api_client
from tests.support.cast import client_for
from tests.support.exports import export_now, insurer_book, signed_with_certification


def _digest(sha256: str) -> str:
    return f"sha-256=:{base64.b64encode(bytes.fromhex(sha256)).decode()}:"


def _only_entry() -> AccessLogEntry:
    return AccessLogEntry.objects.get()


def test_a_page_download_is_the_stored_pdf_as_a_private_attachment_logged_once(cast):
    report = signed_with_certification(cast.case, cast.clinician)
    response = client_for(cast.adjuster).get(
        reverse("report-certification", args=[report.determination.pk])
    )
    assert response.status_code == 200
    assert response.content == report.read_pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="MMI-{cast.case.claim_number}-v1.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["Repr-Digest"] == _digest(report.sha256)
    entry = _only_entry()
    assert (entry.action, entry.case, entry.user) == (
        AccessLogEntry.Action.REPORT_DOWNLOAD,
        cast.case,
        cast.adjuster,
    )
    assert entry.detail == (
        f"MMI certification v1, signed, issued report {report.pk}, SHA-256 {report.sha256}"
    )


def test_an_api_download_is_the_stored_pdf_named_by_its_id_logged_once(cast):
    report = signed_with_certification(cast.case, cast.clinician)
    response = api_client(cast.adjuster).get(reverse("api:report-download", args=[report.pk]))
    assert response.status_code == 200
    assert response.content == report.read_pdf()
    assert response["Content-Disposition"] == f'attachment; filename="report-{report.pk}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Repr-Digest"] == _digest(report.sha256)
    entry = _only_entry()
    assert (entry.action, entry.case, entry.user) == (
        AccessLogEntry.Action.REPORT_DOWNLOAD,
        cast.case,
        cast.adjuster,
    )
    assert entry.detail == (
        f"API: MMI certification v1, issued report {report.pk}, SHA-256 {report.sha256}"
    )


def test_an_export_download_streams_the_zip_and_logs_it_without_a_case(cast):
    book = insurer_book(cast)
    export = export_now(book.adjuster)
    before = AccessLogEntry.objects.count()
    response = client_for(book.adjuster).get(reverse("export-download", args=[export.pk]))
    assert response.status_code == 200
    assert response.streaming
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == export.sha256
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mmi-certifications-{export.pk}.zip"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["Repr-Digest"] == _digest(export.sha256)
    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.latest("pk")
    assert (entry.action, entry.case, entry.user) == (
        AccessLogEntry.Action.EXPORT_DOWNLOAD,
        None,
        book.adjuster,
    )
    assert entry.detail == (
        f"Export {export.pk}: {len(export.report_ids)} signed certifications, "
        f"SHA-256 {export.sha256}"
    )


def test_a_download_without_a_digest_has_no_repr_digest_header(cast, rf):
    request = rf.get("/")
    request.user = cast.adjuster
    response = respond(request, Download(b"%PDF-1.7", "x.pdf", "", "A test", case=cast.case))
    assert response["Cache-Control"] == "private, no-store"
    assert "Repr-Digest" not in response
    assert _only_entry().detail == "A test"
