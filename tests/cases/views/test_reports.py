"""The PDF download views (cases/views/reports.py): a stored file served in a fixed number of
queries, whatever the case holds; a page that says the PDF is being prepared and asks again
by itself, without script; and the pages that link the PDFs saying so too."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry
from cases.models import Determination, IssuedReport
from cases.models.reports import PreparedReport
from cases.reports.issuing import determination_reports_issue
from cases.reports.preparing import report_prepare
from tests.support.api import api_client
from tests.support.cast import client_for
from tests.support.determinations import signed_determination
from tests.support.factories import DeterminationFactory, WorkStatusFactory
from tests.support.preparing import held_queue, stand_in_renderer
from tests.support.reports import determination, fill_record

Kind = IssuedReport.Kind


@pytest.fixture
def queue(monkeypatch):
    return held_queue(monkeypatch)


@pytest.fixture
def renderer(monkeypatch):
    return stand_in_renderer(monkeypatch)


def get(user, name: str, pk: int):
    return client_for(user).get(reverse(name, args=[pk]))


# --- Being prepared ---------------------------------------------------------------------------


def test_the_being_prepared_page_asks_again_by_itself_without_script(cast, queue):
    url = reverse("report-case-summary", args=[cast.case.pk])

    response = client_for(cast.adjuster).get(url)

    assert response.status_code == 202
    assert response["Retry-After"] == "3"
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert f'<a class="btn btn-primary" href="{url}">Refresh</a>' in page
    assert f'href="{cast.case.get_absolute_url()}">Back to the case</a>' in page
    assert "Case summary: being prepared" in page
    # The refresh is no script, so the policy that allows only our own scripts leaves it be.
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_a_signed_certification_not_issued_yet_is_being_prepared_for_every_reader(cast, queue):
    signed = determination(cast.case, cast.clinician)

    response = get(cast.adjuster, "report-certification", signed.pk)

    assert response.status_code == 202
    assert "MMI certification v1: being prepared" in response.content.decode()
    assert f'href="{signed.get_absolute_url()}">Back to the determination</a>' in (
        response.content.decode()
    )
    assert queue.names() == ["issue_determination_documents"]


def test_a_stored_file_that_cannot_be_read_answers_503_not_500(cast, renderer):
    signed = determination(cast.case, cast.clinician)
    [certification, _] = determination_reports_issue(determination=signed)
    certification.file.storage.delete(certification.file.name)

    response = get(cast.adjuster, "report-certification", signed.pk)

    assert response.status_code == 503
    assert response["Retry-After"] == "3"


def _altered(stored) -> None:
    """One byte of a stored file changed behind the application's back."""
    path = Path(stored.file.path)
    pdf = bytearray(path.read_bytes())
    pdf[len(pdf) // 2] ^= 0x01
    path.write_bytes(bytes(pdf))


def test_an_issued_pdf_altered_on_disk_is_withheld_logged_and_shown_to_administrators(
    cast, renderer, caplog
):
    signed = determination(cast.case, cast.clinician)
    [certification, _] = determination_reports_issue(determination=signed)
    assert get(cast.adjuster, "report-certification", signed.pk).status_code == 200
    _altered(certification)

    response = get(cast.adjuster, "report-certification", signed.pk)

    assert response.status_code == 409
    page = response.content.decode()
    assert "This document is withheld" in page
    assert "no longer matches the fingerprint (SHA-256)" in page
    assert not page.startswith("%PDF")
    assert response["Cache-Control"] == "private, no-store"
    [error] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert "does not match its recorded SHA-256" in error.getMessage()
    refused = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOCUMENT_REFUSED)
    assert [(entry.case, entry.username) for entry in refused] == [
        (cast.case, cast.adjuster.username)
    ]
    assert "Refused a document altered since stored" in (
        client_for(cast.admin)
        .get(reverse("admin:audit_accesslogentry_changelist"))
        .content.decode()
    )


def test_the_api_withholds_an_altered_pdf_with_409(cast, renderer):
    signed = determination(cast.case, cast.clinician)
    [certification, _] = determination_reports_issue(determination=signed)
    _altered(certification)

    response = api_client(cast.adjuster).get(f"/api/v1/reports/{certification.pk}/download/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "report_altered"


def test_an_altered_case_summary_or_draft_rendering_is_withheld(cast, renderer):
    assert get(cast.adjuster, "report-case-summary", cast.case.pk).status_code == 200
    _altered(IssuedReport.objects.get(case=cast.case, kind=Kind.CASE_SUMMARY))
    assert get(cast.adjuster, "report-case-summary", cast.case.pk).status_code == 409

    draft = DeterminationFactory(case=cast.case, certifying_clinician=cast.clinician)
    assert get(cast.clinician, "report-certification", draft.pk).status_code == 200
    _altered(PreparedReport.objects.get(determination=draft, kind=Kind.CERTIFICATION))
    assert get(cast.clinician, "report-certification", draft.pk).status_code == 409


def test_the_work_status_report_of_a_case_without_one_is_404_not_being_prepared(cast, queue):
    assert get(cast.adjuster, "report-work-status", cast.case.pk).status_code == 404
    assert queue.sent == []


# --- The pages that link the PDFs -----------------------------------------------------------------


def test_the_determination_page_says_the_pdfs_are_being_prepared_until_they_are_stored(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed = signed_determination(cast.case, cast.clinician)

    waiting = get(cast.adjuster, "determination-detail", signed.pk).content.decode()
    queue.run()
    ready = get(cast.adjuster, "determination-detail", signed.pk).content.decode()

    assert waiting.count("being prepared") == 3  # each PDF, and the line that says why
    assert f'href="{signed.get_absolute_url()}">Refresh</a>' in waiting
    assert "being prepared" not in ready
    assert "Issued files" in ready


def test_the_case_page_says_which_versions_pdfs_are_being_prepared(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_determination(cast.case, cast.clinician)

    waiting = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()
    queue.run()
    ready = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()

    assert "Signed: PDFs being prepared" in waiting
    assert "being prepared" not in ready


def test_a_page_that_says_being_prepared_has_asked_for_the_pdfs(cast, queue):
    # Written by a data load: its copies were never sent for when it was signed.
    signed = determination(cast.case, cast.clinician)

    page = get(cast.adjuster, "determination-detail", signed.pk).content.decode()

    assert "being prepared" in page
    assert queue.names() == ["issue_determination_documents"]


def test_no_pdf_link_asks_the_browser_to_save_whatever_answers(cast):
    # A link with the download attribute would save the "being prepared" page as the PDF.
    signed_determination(cast.case, cast.clinician)
    for page in [
        cast.case.get_absolute_url(),
        Determination.objects.get().get_absolute_url(),
    ]:
        html = client_for(cast.clinician).get(page).content.decode()
        assert not re.search(r'href="/reports/[^"]*"[^>]*\bdownload\b', html)


# --- Queries ----------------------------------------------------------------------------------


def _sized(cast, size: int):
    """The cast's case with ``size`` of each record, its summary, its draft's certification
    and a signed version's certification stored."""
    fill_record(cast.case, cast.clinician, assessments=size, treatments=size)
    WorkStatusFactory(case=cast.case, issued_by=cast.clinician)
    signed = determination(cast.case, cast.clinician)
    determination_reports_issue(determination=signed)
    draft = determination(cast.case, cast.clinician, version=2, status="draft")
    case = cast.case
    for kind, draft_id in [
        (Kind.CASE_SUMMARY, None),
        (Kind.WORK_STATUS, None),
        (Kind.CERTIFICATION, draft.pk),
    ]:
        report_prepare(case_id=case.pk, kind=kind, determination_id=draft_id)
    return signed, draft


def count(user, name: str, pk: int) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200, response.status_code
    return len(queries)


# Session, user and the device that confirmed the second factor; the case (or determination)
# the user may see; the stored document; the access log entry in a savepoint (the previous
# entry's hash, the entry; on PostgreSQL the chain's lock first); the session saved in a
# savepoint.
@pytest.mark.parametrize("size", [1, 8])
def test_downloads_of_stored_files_make_a_fixed_number_of_queries(cast, renderer, size):
    signed, draft = _sized(cast, size)
    stored = 12 + (1 if connection.vendor == "postgresql" else 0)

    # A case document's first download issues it, in a savepoint: the rendering locked, the
    # last version, the issued report and the rendering's link to it.
    assert count(cast.adjuster, "report-case-summary", cast.case.pk) == stored + 6
    assert count(cast.case_manager, "report-case-summary", cast.case.pk) == stored
    assert count(cast.adjuster, "report-work-status", cast.case.pk) == stored + 6
    assert count(cast.adjuster, "report-certification", signed.pk) == stored
    assert count(cast.clinician, "report-certification", draft.pk) == stored
    assert PreparedReport.objects.count() == 3
