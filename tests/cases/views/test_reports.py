"""The PDF download views (cases/views/reports.py): a stored file served in a fixed number of
queries, whatever the case holds; a page that says the PDF is being prepared and asks again
by itself, without script; and the pages that link the PDFs saying so too."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Determination, IssuedReport
from cases.models.reports import PreparedReport
from cases.reports.issuing import determination_reports_issue
from cases.reports.preparing import report_prepare
from tests.support.cast import client_for
from tests.support.determinations import signed_determination
from tests.support.factories import WorkStatusFactory
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


# Session and user; the case (or determination) the user may see; the stored document; the
# access log entry in a savepoint (the previous entry's hash, the entry; on PostgreSQL the
# chain's lock first); the session saved in a savepoint.
@pytest.mark.parametrize("size", [1, 8])
def test_downloads_of_stored_files_make_a_fixed_number_of_queries(cast, renderer, size):
    signed, draft = _sized(cast, size)
    stored = 11 + (1 if connection.vendor == "postgresql" else 0)

    # A case document's first download issues it, in a savepoint: the rendering locked, the
    # last version, the issued report and the rendering's link to it.
    assert count(cast.adjuster, "report-case-summary", cast.case.pk) == stored + 6
    assert count(cast.case_manager, "report-case-summary", cast.case.pk) == stored
    assert count(cast.adjuster, "report-work-status", cast.case.pk) == stored + 6
    assert count(cast.adjuster, "report-certification", signed.pk) == stored
    assert count(cast.clinician, "report-certification", draft.pk) == stored
    assert PreparedReport.objects.count() == 3
