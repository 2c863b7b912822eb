"""Bulk export of signed certifications, with tasks run inline (no broker, as `make run`):
asking from the case list, what the ZIP holds, who may download it, the access log,
failures and retries, expiry, and the pages' query counts. The same export through a real
Redis broker and worker is in test_export_broker.py."""

import hashlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from cases import tasks
from cases.models import Case, Determination, IssuedReport, ReportExport
from cases.services import report_exports
from mmi_tracker.celery import app as celery_app
from tests.support.cast import client_for
from tests.support.exports import export_now, insurer_book, read_zip
from tests.support.factories import AdjusterFactory, OrganisationFactory
from tests.support.reports import determination

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test


@pytest.fixture
def book(cast):
    return insurer_book(cast)


def _post_export(user, data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client_for(user).post(reverse("export-create"), data)


def _stored(report: IssuedReport) -> bytes:
    return report.read_pdf()


# --- Asking, building, downloading -------------------------------------------------------


def test_adjuster_exports_ticked_cases_and_downloads_the_zip(book):
    client = client_for(book.adjuster)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("export-create"),
            {"scope": "selected", "case": [book.case.pk, book.second_case.pk]},
        )
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("export-detail", args=[export.pk])

    page = client.get(response.url)
    assert "Ready to download" in page.content.decode()
    assert reverse("export-download", args=[export.pk]) in page.content.decode()

    download = client.get(reverse("export-download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert f'filename="mmi-certifications-{export.pk}.zip"' in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == export.sha256
    members, manifest = read_zip(data)
    claim, second = book.case.claim_number, book.second_case.claim_number
    assert sorted(members) == [f"MMI-{claim}-v1.pdf", f"MMI-{second}-v2.pdf"]
    for report in book.reports:
        name = f"MMI-{report.case.claim_number}-v{report.version}.pdf"
        assert members[name] == _stored(report)


def test_manifest_lists_each_pdf_with_claim_patient_version_signed_date_and_its_hash(book):
    export = export_now(book.adjuster)
    members, manifest = read_zip(Path(export.file.path).read_bytes())

    assert [row["File"] for row in manifest] == sorted(members)
    for row in manifest:
        assert hashlib.sha256(members[row["File"]]).hexdigest() == row["SHA-256"]
    first = next(row for row in manifest if row["Claim number"] == book.case.claim_number)
    signed_on = timezone.localdate(book.reports[0].determination.signed_at)
    assert first == {
        "File": f"MMI-{book.case.claim_number}-v1.pdf",
        "Claim number": book.case.claim_number,
        "Patient": str(book.case.patient),
        "Version": "1",
        "Signed": f"{signed_on.day} {signed_on:%b %Y}",
        "SHA-256": book.reports[0].sha256,
    }


def test_manifest_cells_cannot_run_as_spreadsheet_formulas(book):
    book.case.patient.first_name = "=HYPERLINK(evil)"
    book.case.patient.save()

    export = export_now(book.adjuster)

    _, manifest = read_zip(Path(export.file.path).read_bytes())
    patients = [row["Patient"] for row in manifest]
    assert "'=HYPERLINK(evil) " + book.case.patient.last_name in patients


def test_every_signed_report_in_the_filter_is_exported_and_only_those(book):
    filter_query = f"q={book.second_case.claim_number}"
    _post_export(book.adjuster, {"scope": "filter", "filter": filter_query})

    export = ReportExport.objects.get()
    members, _ = read_zip(Path(export.file.path).read_bytes())
    assert sorted(members) == [f"MMI-{book.second_case.claim_number}-v2.pdf"]
    assert export.filter_query == filter_query


@pytest.mark.parametrize(
    "scope,filtered,page_says,log_says",
    [
        ("selected", False, "2 cases ticked on the case list", "from selected cases"),
        ("filter", False, "every case in the case list", "from every case in the case list"),
        ("filter", True, "every case in a filter of the case list", "filtered by q="),
    ],
)
def test_the_export_says_what_was_asked_for(book, scope, filtered, page_says, log_says):
    data = {"scope": scope, "case": [book.case.pk, book.second_case.pk]}
    if scope == "filter":
        data = {"scope": scope, "filter": f"q={book.second_case.claim_number}" if filtered else ""}
    response = _post_export(book.adjuster, data)
    export = ReportExport.objects.get()
    assert response.url == export.get_absolute_url()
    page = client_for(book.adjuster).get(response.url).content.decode()
    assert page_says in page
    logged = AccessLogEntry.objects.get(action=AccessLogEntry.Action.EXPORT_REQUEST)
    assert log_says in logged.detail


def test_a_superseded_version_is_not_exported_its_amendment_is(book):
    export = export_now(book.adjuster)

    _, manifest = read_zip(Path(export.file.path).read_bytes())
    versions = [
        row["Version"] for row in manifest if row["Claim number"] == book.second_case.claim_number
    ]
    assert versions == ["2"]


def test_another_insurers_case_is_never_in_the_zip(book):
    _post_export(book.adjuster, {"scope": "filter", "filter": ""})

    export = ReportExport.objects.get()
    members, manifest = read_zip(Path(export.file.path).read_bytes())
    assert f"MMI-{book.foreign_case.claim_number}-v1.pdf" not in members
    assert book.foreign_case.claim_number not in {row["Claim number"] for row in manifest}
    assert len(members) == 2


def test_ticking_a_case_of_another_insurer_answers_404_and_saves_nothing(book):
    response = _post_export(
        book.adjuster, {"scope": "selected", "case": [book.case.pk, book.foreign_case.pk]}
    )

    assert response.status_code == 404
    assert not ReportExport.objects.exists()


def test_a_case_hidden_from_the_requester_before_the_build_is_left_out(book):
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        export = report_exports.report_export_request(
            requested_by=book.adjuster,
            cases=Case.objects.filter(pk__in=[book.case.pk, book.second_case.pk]),
        )
    book.second_case.insurer = OrganisationFactory()
    book.second_case.save()
    for callback in queued:
        callback()

    export.refresh_from_db()
    members, _ = read_zip(Path(export.file.path).read_bytes())
    assert sorted(members) == [f"MMI-{book.case.claim_number}-v1.pdf"]
    page = client_for(book.adjuster).get(reverse("export-detail", args=[export.pk]))
    assert export.left_out == [[book.second_case.claim_number, "not_visible", book.second_case.pk]]
    html = page.content.decode()
    assert "Left out: 1 case" in html
    assert (
        f'<td class="text-nowrap">{book.second_case.claim_number}</td>'
        "<td>No longer visible to you</td>"
    ) in html


def test_a_case_manager_exports_the_cases_they_manage(book):
    export = export_now(book.case_manager)

    assert export.status == ReportExport.Status.DONE
    members, _ = read_zip(Path(export.file.path).read_bytes())
    assert len(members) == 2


def test_a_clinician_may_not_export(book):
    response = _post_export(book.clinician, {"scope": "selected", "case": [book.case.pk]})

    assert response.status_code == 403
    assert not ReportExport.objects.exists()


def test_the_refusal_is_shown_on_the_case_list_with_its_filter_kept(book):
    client = client_for(book.adjuster)
    response = client.post(
        reverse("export-create"),
        {"scope": "selected", "case": [book.unsigned_case.pk], "filter": "status=open"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("case-list") + "?status=open"
    assert "None of these cases has a signed MMI certification to export." in (
        response.content.decode()
    )
    assert not ReportExport.objects.exists()


def test_exporting_with_no_case_ticked_asks_for_one(book):
    response = client_for(book.adjuster).post(
        reverse("export-create"), {"scope": "selected"}, follow=True
    )

    assert "Tick at least one case to export" in response.content.decode()
    assert not ReportExport.objects.exists()


def test_a_selection_that_is_not_case_ids_is_refused_with_a_message(book):
    response = client_for(book.adjuster).post(
        reverse("export-create"), {"scope": "selected", "case": ["1; DROP TABLE"]}, follow=True
    )

    assert response.status_code == 200
    assert "The selection is not a list of cases." in response.content.decode()
    assert not ReportExport.objects.exists()


def test_an_invalid_filter_is_refused_with_a_message(book):
    response = client_for(book.adjuster).post(
        reverse("export-create"), {"scope": "filter", "filter": "status=nonsense"}, follow=True
    )

    assert "The filter is not valid" in response.content.decode()
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize(
    "hostile",
    ["status=open\r\nSet-Cookie: x=1", "q=<script>alert(1)</script>", "q=" + "%" * 1900],
)
def test_a_hostile_filter_never_breaks_the_page(book, hostile):
    response = client_for(book.adjuster).post(
        reverse("export-create"), {"scope": "selected", "filter": hostile}, follow=True
    )

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "Set-Cookie: x=1" not in str(response.redirect_chain)
    assert not ReportExport.objects.exists()


def test_cases_all_hidden_by_build_time_fail_the_export_saying_why(book):
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        export = report_exports.report_export_request(
            requested_by=book.adjuster, cases=Case.objects.filter(pk=book.case.pk)
        )
    Case.objects.filter(pk=book.case.pk).update(insurer=OrganisationFactory())
    for callback in queued:
        callback()

    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    assert export.error == "None of these cases is visible to you any more."
    assert not export.file
    assert not AccessLogEntry.objects.filter(action="report_export").exists()


def test_too_many_certifications_are_refused(book, monkeypatch):
    monkeypatch.setattr(report_exports, "MAX_REPORTS", 1)

    response = client_for(book.adjuster).post(
        reverse("export-create"), {"scope": "filter", "filter": ""}, follow=True
    )

    assert "These cases have 2 signed certifications; an export takes at most 1." in (
        response.content.decode()
    )
    assert not ReportExport.objects.exists()


def test_only_the_requester_may_see_or_download_the_export(book):
    export = export_now(book.adjuster)
    colleague = AdjusterFactory(organisation=book.adjuster.organisation)

    for user in [colleague, book.other_adjuster, book.case_manager, book.admin]:
        client = client_for(user)
        for name in ["export-detail", "export-progress", "export-download"]:
            assert client.get(reverse(name, args=[export.pk])).status_code == 404, (user, name)
    assert export not in client_for(colleague).get(reverse("export-list")).context["exports"]


def test_a_signed_determination_without_a_stored_certification_has_it_issued_once(cast):
    signed = determination(cast.case, cast.clinician)

    export = export_now(cast.adjuster)

    issued = IssuedReport.objects.get(determination=signed)
    assert issued.determination_status == Determination.Status.SIGNED
    members, manifest = read_zip(Path(export.file.path).read_bytes())
    assert members[f"MMI-{cast.case.claim_number}-v1.pdf"] == issued.read_pdf()
    assert manifest[0]["SHA-256"] == issued.sha256
    export_now(cast.adjuster)
    assert IssuedReport.objects.filter(determination=signed).count() == 1


# --- The access log ----------------------------------------------------------------------


def test_the_request_each_report_and_the_download_are_in_the_access_log(book):
    client = client_for(book.adjuster)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            reverse("export-create"),
            {"scope": "selected", "case": [book.case.pk, book.second_case.pk]},
            REMOTE_ADDR="198.51.100.7",
        )
    export = ReportExport.objects.get()
    client.get(reverse("export-download", args=[export.pk]), REMOTE_ADDR="198.51.100.7")

    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [entry.action for entry in entries] == [
        "export_request",
        "report_export",
        "report_export",
        "export_download",
    ]
    assert all(entry.user == book.adjuster for entry in entries)
    assert all(entry.client_address == "198.51.100.7" for entry in entries)
    assert f"Export {export.pk}: 2 signed certifications of 2 cases" in entries[0].detail
    logged = {(entry.case_id, entry.detail) for entry in entries[1:3]}
    for report in book.reports:
        assert any(
            case == report.case_id
            and f"issued report {report.pk}" in detail
            and report.sha256 in detail
            for case, detail in logged
        )
    assert export.sha256 in entries[3].detail
    call_command("verify_audit_log")


# --- Failures and retries ----------------------------------------------------------------


def _export_files(export: ReportExport) -> list[str]:
    directory = Path(settings.MEDIA_ROOT) / "exports" / str(export.pk)
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


def test_a_failure_mid_build_is_retried_and_the_retry_writes_the_whole_zip(book, monkeypatch):
    real = report_exports.manifest_csv
    seen = []

    def fails_once_mid_zip(reports):
        # The PDFs are already in the half-written ZIP when this runs.
        seen.append(_export_files(ReportExport.objects.get()))
        if len(seen) == 1:
            raise OSError("disk full")
        return real(reports)

    monkeypatch.setattr(report_exports, "manifest_csv", fails_once_mid_zip)

    export = export_now(book.adjuster)

    assert len(seen) == 2
    assert not [name for name in seen[0] if name.startswith("mmi-certifications")]
    assert export.status == ReportExport.Status.DONE
    members, manifest = read_zip(Path(export.file.path).read_bytes())
    assert len(members) == len(manifest) == 2
    assert _export_files(export) == [Path(export.file.name).name]


def test_an_export_that_keeps_failing_is_marked_failed_with_no_zip(book, monkeypatch):
    def always_fails(reports):
        raise OSError("disk full")

    monkeypatch.setattr(report_exports, "manifest_csv", always_fails)

    export = export_now(book.adjuster)

    assert export.status == ReportExport.Status.FAILED
    assert not export.file
    assert not [name for name in _export_files(export) if name.startswith("mmi-")]
    client = client_for(book.adjuster)
    assert client.get(reverse("export-download", args=[export.pk])).status_code == 404
    page = client.get(reverse("export-detail", args=[export.pk])).content.decode()
    assert "Failed" in page
    assert "The export could not be built. Try again" in page


def test_a_stored_pdf_that_no_longer_matches_its_hash_stops_the_export(book):
    report = book.reports[0]
    Path(report.file.path).write_bytes(b"%PDF-1.7 altered")

    export = export_now(book.adjuster)

    assert export.status == ReportExport.Status.FAILED
    assert f"certification v1 of claim {book.case.claim_number} no longer matches" in export.error
    assert not export.file


def test_a_retried_part_is_recorded_once(book):
    export = export_now(book.adjuster)
    entries = AccessLogEntry.objects.count()

    again = report_exports.export_part_build(
        export_id=export.pk,
        attempt=export.attempt,
        index=0,
        determination_ids=[report.determination_id for report in book.reports],
    )

    export.refresh_from_db()
    assert again is False
    assert export.status == ReportExport.Status.DONE
    assert len(export.report_ids) == 2
    assert AccessLogEntry.objects.count() == entries


def test_a_retried_plan_starts_the_export_over(book, monkeypatch):
    with TestCase.captureOnCommitCallbacks(execute=False):
        export = report_exports.report_export_request(
            requested_by=book.adjuster,
            cases=Case.objects.filter(pk=book.case.pk),
        )
    first = report_exports.export_plan(export_id=export.pk)
    report_exports.export_part_build(
        export_id=export.pk, attempt=first.attempt, index=0, determination_ids=first.parts[0]
    )

    tasks.build_report_export.delay(export_id=export.pk)  # the plan, delivered again

    export.refresh_from_db()
    assert export.attempt == first.attempt + 1
    assert export.status == ReportExport.Status.DONE
    assert export.file.name.endswith(f"-{export.attempt}.zip")
    report_exports.export_assemble(export_id=export.pk, attempt=first.attempt)  # too late
    assert ReportExport.objects.get().file == export.file
    assert _export_files(export) == [Path(export.file.name).name]


def test_tasks_are_acknowledged_late_and_requeued_when_their_worker_dies():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1
    for task in [
        tasks.build_report_export,
        tasks.build_report_export_part,
        tasks.assemble_report_export,
    ]:
        assert task.max_retries >= 3


# --- Progress ----------------------------------------------------------------------------


def test_progress_polls_while_the_export_runs_and_stops_when_done(book):
    with TestCase.captureOnCommitCallbacks(execute=False):
        export = report_exports.report_export_request(
            requested_by=book.adjuster, cases=Case.objects.all()
        )
    plan = report_exports.export_plan(export_id=export.pk)
    report_exports.export_part_build(
        export_id=export.pk, attempt=plan.attempt, index=0, determination_ids=plan.parts[0]
    )
    client = client_for(book.adjuster)
    url = reverse("export-progress", args=[export.pk])

    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in running
    assert f'hx-get="{url}"' in running
    assert "Building" in running
    assert "Download the ZIP" not in running

    report_exports.export_part_build(
        export_id=export.pk, attempt=plan.attempt, index=1, determination_ids=plan.parts[1]
    )
    report_exports.export_assemble(export_id=export.pk, attempt=plan.attempt)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    assert "Ready to download" in done
    assert reverse("export-download", args=[export.pk]) in done


def test_progress_counts_certifications_in_words(book, monkeypatch):
    monkeypatch.setattr(report_exports, "PART_SIZE", 1)
    with TestCase.captureOnCommitCallbacks(execute=False):
        export = report_exports.report_export_request(
            requested_by=book.adjuster, cases=Case.objects.all()
        )
    plan = report_exports.export_plan(export_id=export.pk)
    report_exports.export_part_build(
        export_id=export.pk, attempt=plan.attempt, index=0, determination_ids=plan.parts[0]
    )

    page = client_for(book.adjuster).get(reverse("export-detail", args=[export.pk]))

    html = page.content.decode()
    assert "1 of 2 certifications checked" in html
    assert '<progress class="export-bar" max="2" value="1"' in html
    # Without JavaScript the page refreshes itself, and says so.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert "This page refreshes itself every few seconds" in html


# --- Expiry ------------------------------------------------------------------------------


def test_exports_are_removed_after_seven_days_by_the_periodic_task(book):
    export = export_now(book.adjuster)
    path = Path(export.file.path)
    client = client_for(book.adjuster)

    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        tasks.expire_report_exports.delay()
    assert path.exists()

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        tasks.expire_report_exports.delay()
    export.refresh_from_db()
    assert export.status == ReportExport.Status.EXPIRED
    assert not path.exists()
    assert not path.parent.exists()
    assert client.get(reverse("export-download", args=[export.pk])).status_code == 404
    assert "has been removed" in client.get(export.get_absolute_url()).content.decode()


def test_expire_exports_command_does_the_same_for_cron(book, capsys):
    export = export_now(book.adjuster)

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        call_command("expire_exports")

    export.refresh_from_db()
    assert export.status == ReportExport.Status.EXPIRED
    assert not Path(settings.MEDIA_ROOT, "exports", str(export.pk)).exists()
    assert "1 export expired." in capsys.readouterr().out


def test_the_beat_schedule_expires_exports_daily_and_sends_digests_hourly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["expire-report-exports"]["task"] == tasks.expire_report_exports.name
    assert schedule["send-due-digests"]["task"] == tasks.send_due_digests.name
    assert schedule["expire-report-exports"]["schedule"].hour == {3}
    assert schedule["send-due-digests"]["schedule"].minute == {0}
    assert len(schedule["send-due-digests"]["schedule"].hour) == 24


# --- Pages -------------------------------------------------------------------------------


def test_the_case_list_offers_export_checkboxes_to_those_who_may_export(book):
    adjuster_page = client_for(book.adjuster).get(reverse("case-list")).content.decode()
    clinician_page = client_for(book.clinician).get(reverse("case-list")).content.decode()

    assert f'name="case" value="{book.case.pk}" form="export-form"' in adjuster_page
    # Nothing signed, nothing to tick.
    assert f'name="case" value="{book.unsigned_case.pk}"' not in adjuster_page
    assert "No signed certification to export" in adjuster_page
    assert 'id="export-form"' in adjuster_page
    assert 'form="export-form"' not in clinician_page
    assert reverse("export-create") not in clinician_page


def test_the_export_form_carries_the_case_list_filter(book):
    claim = book.case.claim_number
    page = client_for(book.adjuster).get(reverse("case-list"), {"q": claim, "jurisdiction": "TX"})

    assert f'name="filter" value="q={claim}&amp;jurisdiction=TX"' in page.content.decode()


def test_inline_mode_without_a_broker_and_queued_mode_with_one():
    def eager(environment: dict) -> str:
        code = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
        env = {key: value for key, value in os.environ.items() if key != "CELERY_BROKER_URL"}
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, "DJANGO_SETTINGS_MODULE": "mmi_tracker.settings", **environment},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert eager({}) == "True"
    assert eager({"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}) == "False"


def _make_exports(user, count: int) -> None:
    now = timezone.now()
    for _ in range(count):
        ReportExport.objects.create(
            requested_by=user, created_at=now, expires_at=now + timedelta(days=7), total=2
        )


@pytest.mark.parametrize("count", [1, 12])
def test_the_export_list_makes_the_same_queries_whatever_its_length(
    cast, count, django_assert_num_queries
):
    _make_exports(cast.adjuster, count)
    client = client_for(cast.adjuster)

    # Session, user, the device that confirmed the second factor, the exports, the unread
    # notifications' count; the session saved in a savepoint.
    with django_assert_num_queries(8):
        response = client.get(reverse("export-list"))

    assert len(response.context["exports"]) == count


@pytest.mark.parametrize("cases", [1, 2])
def test_the_export_pages_make_the_same_queries_whatever_the_export_holds(
    book, cases, django_assert_num_queries
):
    case_ids = [book.case.pk, book.second_case.pk][:cases]
    export = export_now(book.adjuster, cases=Case.objects.filter(pk__in=case_ids))
    client = client_for(book.adjuster)

    # The page counts the unread notifications for its navigation bar; its progress fragment
    # has none.
    for name, queries in [("export-detail", 8), ("export-progress", 7)]:
        with django_assert_num_queries(queries):
            client.get(reverse(name, args=[export.pk]))
