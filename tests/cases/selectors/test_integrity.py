"""manage.py verify_records and its daily task: every issued report's file and every signed
determination's content checked against what was recorded when they were issued and signed."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from cases import services, tasks
from cases.models import Determination, DeterminationStep, IssuedReport
from cases.reports.issuing import determination_reports_issue
from tests.support.determinations import signed_determination
from tests.support.guards import guards_lifted
from tests.support.preparing import stand_in_renderer

pytestmark = pytest.mark.usefixtures("module_cast")


@pytest.fixture
def signed(cast, monkeypatch):
    stand_in_renderer(monkeypatch)
    determination = signed_determination(cast.case, cast.clinician)
    determination_reports_issue(determination=determination)
    return determination


def verify(capsys) -> tuple[str, str]:
    call_command("verify_records")
    found = capsys.readouterr()
    return found.out, found.err


def test_records_as_signed_and_issued_are_reported_intact(signed, capsys):
    out, _ = verify(capsys)
    assert "2 issued reports and 1 signed determinations match." in out
    assert Determination.objects.get(pk=signed.pk).fingerprint


def test_an_issued_file_changed_on_disk_is_named(signed, capsys):
    report = IssuedReport.objects.filter(determination=signed).first()
    path = Path(report.file.path)
    path.write_bytes(path.read_bytes() + b"%")
    with pytest.raises(CommandError, match="1 signed record does not match"):
        verify(capsys)
    err = capsys.readouterr().err
    assert f"Issued report {report.pk} ({report.get_kind_display()} v1" in err
    assert f"not {report.sha256}" in err


def test_a_missing_file_is_named(signed, capsys):
    report = IssuedReport.objects.filter(determination=signed).first()
    Path(report.file.path).unlink()
    with pytest.raises(CommandError):
        verify(capsys)
    err = capsys.readouterr().err
    assert f"Issued report {report.pk}" in err
    assert "its file cannot be read" in err


@pytest.mark.parametrize("where", ["determination", "step"])
def test_a_signed_determination_changed_past_the_guards_is_named(signed, capsys, where):
    with guards_lifted():
        if where == "determination":
            Determination._base_manager.filter(pk=signed.pk).update(impairment_rating=40)
        else:
            step = DeterminationStep.objects.filter(determination=signed).first()
            DeterminationStep._base_manager.filter(pk=step.pk).update(answers={"x": "forged"})
    with pytest.raises(CommandError, match="1 signed record does not match"):
        verify(capsys)
    assert f"Determination {signed.pk} (v1" in capsys.readouterr().err


def test_the_lifecycle_after_signing_does_not_count_as_a_change(signed, capsys, cast):
    services.determination_rescind(
        determination=Determination.objects.get(pk=signed.pk),
        rescinded_by=cast.clinician,
        category=Determination.RescindReason.SUBSTANTIAL_CHANGE,
        reason="New findings on repeat imaging.",
    )
    out, _ = verify(capsys)
    assert "1 signed determinations match." in out


def test_the_daily_task_logs_each_mismatch_at_error_level(signed, caplog):
    assert "verify-records" in settings.CELERY_BEAT_SCHEDULE
    assert tasks.verify_records() == 0
    report = IssuedReport.objects.filter(determination=signed).first()
    Path(report.file.path).write_bytes(b"%PDF-forged")
    with caplog.at_level(logging.ERROR, logger="cases.tasks"):
        assert tasks.verify_records() == 1
    assert f"Signed record altered: Issued report {report.pk}" in caplog.text


def test_the_demo_as_seeded_matches(module_demo, db, capsys):
    out, _ = verify(capsys)
    assert "signed determinations match." in out
