"""Case documents and drafts' documents rendered on the task queue and stored
(cases/reports/preparing.py): a download serves the stored file of the case as it stands, or
says it is being prepared, never an older file; a burst of changes renders once."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from cases import services
from cases.models import Case, Determination, IssuedReport
from cases.models.reports import PreparedReport
from cases.reports import preparing
from cases.reports.preparing import DEBOUNCE, report_prepare
from tests.support.cast import client_for
from tests.support.factories import CaseFactory, TreatmentFactory, WorkStatusFactory
from tests.support.preparing import held_queue, stand_in_renderer
from tests.support.reports import determination, fill_record, name_the_parties, text

SUMMARY = IssuedReport.Kind.CASE_SUMMARY


@pytest.fixture
def queue(monkeypatch):
    return held_queue(monkeypatch)


@pytest.fixture
def renderer(monkeypatch):
    return stand_in_renderer(monkeypatch)


def summary(user, case: Case):
    return client_for(user).get(reverse("report-case-summary", args=[case.pk]))


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*.pdf")}


def change(case: Case, claim: str, capture) -> None:
    """A change to what the summary prints, committed."""
    with capture(execute=True):
        services.case_update(case=Case.objects.get(pk=case.pk), state_claim_number=claim)


# --- A first download -----------------------------------------------------------------------


def test_a_first_download_asks_for_the_document_and_says_it_is_being_prepared(cast, queue):
    response = summary(cast.adjuster, cast.case)

    assert response.status_code == 202
    assert response["Retry-After"] == "3"
    assert response["Content-Type"].startswith("text/html")
    assert [(sent.task, sent.kwargs) for sent in queue.sent] == [
        (
            "cases.tasks.prepare_report",
            {"case_id": cast.case.pk, "kind": "case_summary", "determination_id": None},
        )
    ]
    assert not IssuedReport.objects.exists()
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REPORT_DOWNLOAD)


def test_asking_again_while_it_is_prepared_queues_nothing_more(cast, queue):
    summary(cast.adjuster, cast.case)
    summary(cast.adjuster, cast.case)
    summary(cast.case_manager, cast.case)

    assert queue.names() == ["prepare_report"]


def test_once_stored_the_download_is_the_file_issued_to_its_first_downloader(cast, queue, renderer):
    summary(cast.adjuster, cast.case)
    queue.run()

    first = summary(cast.adjuster, cast.case)
    again = summary(cast.case_manager, cast.case)

    prepared = PreparedReport.objects.get()
    issued = IssuedReport.objects.get()
    assert first.status_code == again.status_code == 200
    assert first.content == again.content == prepared.read_pdf() == issued.read_pdf()
    assert (issued.kind, issued.version, issued.issued_by) == (SUMMARY, 1, cast.adjuster)
    assert issued.file.name == prepared.file.name and prepared.issued == issued
    assert len(renderer.calls) == 1
    entries = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REPORT_DOWNLOAD)
    assert [entry.username for entry in entries.order_by("pk")] == [
        cast.adjuster.username,
        cast.case_manager.username,
    ]
    assert {entry.detail for entry in entries} == {
        f"Case summary v1, issued report {issued.pk}, SHA-256 {issued.sha256}"
    }


# --- A share per user ------------------------------------------------------------------------


def adjusters_cases(cast, count: int) -> list[Case]:
    """More cases of the adjuster's insurer, none downloaded yet."""
    return [cast.case] + [
        CaseFactory(insurer=cast.case.insurer, employer=cast.case.employer)
        for _ in range(count - 1)
    ]


def test_a_user_has_their_share_of_renderings_a_minute_then_429(cast, queue, settings):
    settings.RENDERINGS_PER_USER_PER_MINUTE = 3
    cases = adjusters_cases(cast, 4)
    moment = timezone.now().replace(second=10)
    with time_machine.travel(moment, tick=False):
        answers = [summary(cast.adjuster, case).status_code for case in cases]
        refused = summary(cast.adjuster, cases[3])
        # Asking again for one already asked for spends nothing.
        again = summary(cast.adjuster, cases[0])
        # Nor does anyone else's share go with it.
        other = summary(cast.admin, cases[3])

    assert answers == [202, 202, 202, 429]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"
    assert "Try this one again in 50 seconds." in refused.content.decode()
    assert again.status_code == 202
    assert other.status_code == 202
    assert queue.names() == ["prepare_report"] * 4

    with time_machine.travel(moment + timedelta(minutes=1), tick=False):
        assert summary(cast.adjuster, cases[2]).status_code == 202


def test_stored_documents_download_beyond_the_share(cast, queue, renderer, settings):
    settings.RENDERINGS_PER_USER_PER_MINUTE = 1
    summary(cast.adjuster, cast.case)
    queue.run()
    for _ in range(3):
        assert summary(cast.adjuster, cast.case).status_code == 200


# --- Never the old file -----------------------------------------------------------------------


def test_a_download_right_after_a_change_is_being_prepared_never_the_old_file(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    summary(cast.adjuster, cast.case)
    queue.run()
    old = summary(cast.adjuster, cast.case).content

    change(cast.case, "DWC-26-000002", django_capture_on_commit_callbacks)
    at_once = summary(cast.adjuster, cast.case)

    assert at_once.status_code == 202
    assert old not in at_once.content
    queue.run()
    new = summary(cast.adjuster, cast.case)
    assert new.status_code == 200 and new.content != old
    assert list(IssuedReport.objects.values_list("version", flat=True).order_by("version")) == [
        1,
        2,
    ]


@pytest.mark.pdf
def test_without_a_broker_the_change_is_rendered_at_commit_and_downloaded_at_once(
    cast, django_capture_on_commit_callbacks
):
    name_the_parties(cast.case)
    fill_record(cast.case, cast.clinician, assessments=2, treatments=1)
    assert "DWC-26-118204" in text(summary(cast.adjuster, cast.case).content)

    change(cast.case, "DWC-26-000002", django_capture_on_commit_callbacks)
    response = summary(cast.adjuster, cast.case)

    assert response.status_code == 200
    body = text(response.content)
    assert "DWC-26-000002" in body and "DWC-26-118204" not in body


# --- After a change ---------------------------------------------------------------------------


def test_a_change_renders_again_what_was_prepared_after_a_pause(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    summary(cast.adjuster, cast.case)
    queue.run()

    change(cast.case, "DWC-26-000002", django_capture_on_commit_callbacks)

    revision = Case.objects.get(pk=cast.case.pk).revision
    [sent] = queue.sent
    assert (sent.task, sent.kwargs, sent.countdown) == (
        "cases.tasks.prepare_case_documents",
        {"case_id": cast.case.pk, "revision": revision},
        DEBOUNCE,
    )
    queue.run()
    assert PreparedReport.objects.get().revision == revision
    assert summary(cast.adjuster, cast.case).status_code == 200
    assert len(renderer.calls) == 2


def test_a_burst_of_changes_renders_once(cast, queue, renderer, django_capture_on_commit_callbacks):
    summary(cast.adjuster, cast.case)
    queue.run()

    for n in range(3):
        change(cast.case, f"DWC-26-00000{n}", django_capture_on_commit_callbacks)

    assert queue.names() == ["prepare_case_documents"] * 3
    revisions = [sent.kwargs["revision"] for sent in queue.sent]
    assert revisions == sorted(set(revisions))
    queue.run()
    # The first two found the case changed since they were sent, and left it to the last.
    assert len(renderer.calls) == 2
    assert PreparedReport.objects.get().revision == revisions[-1]


def test_a_transaction_changing_many_records_asks_once(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    summary(cast.adjuster, cast.case)
    queue.run()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.case_update(case=cast.case, state_claim_number="DWC-26-000002")
        for _ in range(3):
            TreatmentFactory(case=cast.case)

    assert queue.names() == ["prepare_case_documents"]


def test_a_case_whose_documents_nobody_downloaded_queues_nothing_when_it_changes(
    cast, queue, django_capture_on_commit_callbacks
):
    change(cast.case, "DWC-26-000002", django_capture_on_commit_callbacks)

    assert queue.sent == []


def test_a_new_rendering_replaces_the_last_one_and_its_file_unless_it_was_issued(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    WorkStatusFactory(case=cast.case, issued_by=cast.clinician)
    with django_capture_on_commit_callbacks(execute=True):
        report_prepare(case_id=cast.case.pk, kind=SUMMARY)
        report_prepare(case_id=cast.case.pk, kind=IssuedReport.Kind.WORK_STATUS)
    never_downloaded = PreparedReport.objects.get(kind=IssuedReport.Kind.WORK_STATUS).file.name
    assert summary(cast.adjuster, cast.case).status_code == 200
    downloaded = PreparedReport.objects.get(kind=SUMMARY).file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(case=cast.case, state_claim_number="DWC-26-000002")
    with django_capture_on_commit_callbacks(execute=True):
        queue.run()

    rows = PreparedReport.objects.order_by("kind")
    assert [(row.kind, row.revision) for row in rows] == [
        ("case_summary", Case.objects.get(pk=cast.case.pk).revision),
        ("work_status", Case.objects.get(pk=cast.case.pk).revision),
    ]
    files = stored_files()
    assert downloaded in files  # the issued report's, for good
    assert IssuedReport.objects.get().file.name == downloaded
    assert never_downloaded not in files
    assert files == {downloaded, *(row.file.name for row in rows)}


def test_a_rendering_the_case_overtook_is_thrown_away(cast, renderer, monkeypatch):
    render = renderer.case_document

    def changed_while_rendering(case_id, kind, **kwargs):
        Case.objects.filter(pk=case_id).update(revision=999)
        return render(case_id, kind, **kwargs)

    monkeypatch.setattr(preparing, "render_case_document", changed_while_rendering)

    assert report_prepare(case_id=cast.case.pk, kind=SUMMARY) is None
    assert not PreparedReport.objects.exists()
    assert stored_files() == set()


def test_a_task_run_twice_renders_once(cast, renderer):
    first = report_prepare(case_id=cast.case.pk, kind=SUMMARY)
    second = report_prepare(case_id=cast.case.pk, kind=SUMMARY)

    assert first == second
    assert len(renderer.calls) == 1


def test_nothing_is_stored_when_the_file_cannot_be_written(cast, renderer, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(preparing, "pdf_store", disk_full)

    with pytest.raises(OSError):  # the task retries it (cases/tasks.py)
        report_prepare(case_id=cast.case.pk, kind=SUMMARY)
    assert not PreparedReport.objects.exists()


# --- Drafts -----------------------------------------------------------------------------------


def test_a_draft_is_prepared_like_a_case_document_and_never_issued(cast, queue, renderer):
    draft = determination(cast.case, cast.clinician, status=Determination.Status.DRAFT)
    url = reverse("report-certification", args=[draft.pk])

    assert client_for(cast.clinician).get(url).status_code == 202
    queue.run()
    response = client_for(cast.clinician).get(url)

    assert response.status_code == 200
    assert response.content == PreparedReport.objects.get(determination=draft).read_pdf()
    assert f"-v{draft.version}-DRAFT.pdf" in response["Content-Disposition"]
    assert not IssuedReport.objects.exists()
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.REPORT_DOWNLOAD)
    assert entry.detail == f"MMI certification v{draft.version}, draft (not issued)"


def test_a_step_saved_makes_the_next_download_of_the_draft_wait_for_its_new_state(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    url = reverse("report-certification", args=[draft.pk])
    client_for(cast.clinician).get(url)
    queue.run()
    old = client_for(cast.clinician).get(url).content

    with django_capture_on_commit_callbacks(execute=True):
        services.determination_save_step(
            determination=draft,
            slug="legal",
            columns={},
            answers={"designated_doctor_examined": "no"},
            expected_revision=0,
            saved_by=cast.clinician,
        )
    at_once = client_for(cast.clinician).get(url)

    assert at_once.status_code == 202
    # Rendered again after the pause, or now that it is asked for, whichever comes first.
    assert queue.names() == ["prepare_case_documents", "prepare_report"]
    queue.run()
    new = client_for(cast.clinician).get(url)
    assert new.status_code == 200 and new.content != old


def test_a_signed_drafts_renderings_are_dropped(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    draft = determination(cast.case, cast.clinician, status=Determination.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        report_prepare(
            case_id=cast.case.pk,
            kind=IssuedReport.Kind.CERTIFICATION,
            determination_id=draft.pk,
        )
    rendering = PreparedReport.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        draft.status = Determination.Status.SIGNED
        draft.signed_at = timezone.now()
        draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        queue.run()

    assert not PreparedReport.objects.filter(determination=draft).exists()
    assert rendering not in stored_files()
