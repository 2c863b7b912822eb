"""A determination's documents are issued on the task queue once its new state is committed
(cases/reports/issuing.py): signing holds no lock while a PDF is drawn, the signed copy is
dated at the signature and tells the story as of then, and each state is issued once, by
whoever's act made it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage

from cases import services
from cases.models import Determination, IssuedReport
from cases.reports import issuing
from cases.reports.issuing import determination_report_issue, determination_reports_issue
from cases.templatetags.dates import moment
from tests.support.determinations import signed_determination
from tests.support.factories import ClinicianFactory, DiagnosticFactory
from tests.support.preparing import held_queue, stand_in_renderer
from tests.support.reports import fill_record, squeezed, text

CERTIFICATION = IssuedReport.Kind.CERTIFICATION


@pytest.fixture
def queue(monkeypatch):
    return held_queue(monkeypatch)


@pytest.fixture
def renderer(monkeypatch):
    return stand_in_renderer(monkeypatch)


def issued_of(determination: Determination) -> list[tuple[str, str, object]]:
    return sorted(
        (report.kind, report.determination_status, report.issued_by)
        for report in IssuedReport.objects.filter(determination=determination)
    )


def test_signing_commits_first_and_issues_its_documents_after_commit(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed = signed_determination(cast.case, cast.clinician)
        # Inside the signing transaction nothing was rendered or queued.
        assert renderer.calls == [] and queue.sent == []
        assert not IssuedReport.objects.exists()

    for callback in callbacks:  # the commit
        callback()
    assert queue.names() == ["issue_determination_documents"]
    queue.run()

    assert issued_of(signed) == [
        ("certification", "signed", cast.clinician),
        ("patient_letter", "signed", cast.clinician),
    ]
    assert all(report.issued_at >= signed.signed_at for report in IssuedReport.objects.all())


@pytest.mark.pdf
def test_the_signed_copy_is_dated_at_the_signature_and_shows_the_records_as_of_then(
    cast, queue, django_capture_on_commit_callbacks
):
    fill_record(cast.case, cast.clinician, assessments=2, treatments=1)
    with django_capture_on_commit_callbacks(execute=True):
        signed = signed_determination(cast.case, cast.clinician)
    # Recorded after the signature, before the queue renders the copy.
    DiagnosticFactory(
        case=cast.case,
        date=signed.exam_date - timedelta(days=1),
        findings="Entered after the signature.",
    )
    queue.run()

    report = IssuedReport.objects.get(determination=signed, kind=CERTIFICATION)
    body = squeezed(text(report.read_pdf()))
    assert squeezed(f"Generated {moment(signed.signed_at)}") in body
    assert "Entered after the signature." not in body


def test_signing_an_amendment_issues_the_superseded_copies_by_its_signer(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = signed_determination(cast.case, cast.clinician)
    queue.run()
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)
    amendment = services.determination_amend(determination=first, amended_by=colleague)

    with django_capture_on_commit_callbacks(execute=True):
        services.determination_sign(determination=amendment, signed_by=colleague)
    queue.run()

    assert issued_of(first) == [
        ("certification", "signed", cast.clinician),
        ("certification", "superseded", colleague),
        ("patient_letter", "signed", cast.clinician),
        ("patient_letter", "superseded", colleague),
    ]
    assert [kind for kind, _, _ in issued_of(amendment)] == ["certification", "patient_letter"]


def test_re_opening_mmi_issues_the_rescinded_copies_by_who_re_opened_it(
    cast, queue, renderer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed = signed_determination(cast.case, cast.clinician)
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)

    with django_capture_on_commit_callbacks(execute=True):
        services.determination_rescind(
            determination=signed,
            rescinded_by=colleague,
            category=Determination.RescindReason.NEW_DIAGNOSIS,
            reason="Radiculopathy found on the new MRI.",
        )
    queue.run()

    assert [row for row in issued_of(signed) if row[1] == "rescinded"] == [
        ("certification", "rescinded", colleague),
        ("patient_letter", "rescinded", colleague),
    ]


def test_a_copy_of_a_state_left_while_it_was_rendered_is_thrown_away(cast, renderer, monkeypatch):
    signed = signed_determination(cast.case, cast.clinician)
    render = renderer.determination_document

    def left_meanwhile(determination_id, kind, **kwargs):
        services.determination_rescind(
            determination=Determination.objects.get(pk=determination_id),
            rescinded_by=cast.clinician,
            category=Determination.RescindReason.NEW_DIAGNOSIS,
            reason="Re-opened while the copy was drawn.",
        )
        return render(determination_id, kind, **kwargs)

    monkeypatch.setattr(issuing, "render_determination_document", left_meanwhile)
    assert determination_report_issue(determination=signed, kind=CERTIFICATION) is None
    assert not IssuedReport.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_issuing_again_returns_the_copy_already_issued(cast, renderer):
    signed = signed_determination(cast.case, cast.clinician)

    first = determination_reports_issue(determination=signed)
    again = determination_reports_issue(determination=signed)

    assert [report.pk for report in again] == [report.pk for report in first]
    assert len(renderer.calls) == 2


def test_no_row_names_a_file_that_could_not_be_written(cast, renderer, monkeypatch):
    signed = signed_determination(cast.case, cast.clinician)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)

    with pytest.raises(OSError):  # retried by the task (cases/tasks.py)
        determination_report_issue(determination=signed, kind=CERTIFICATION)
    assert not IssuedReport.objects.exists()


def test_a_draft_is_never_issued(cast, renderer):
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)

    with pytest.raises(issuing.DraftNotIssued):
        determination_report_issue(determination=draft, kind=CERTIFICATION)
    assert renderer.calls == []
