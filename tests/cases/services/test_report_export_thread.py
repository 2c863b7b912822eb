"""Without a broker, asking for an export returns at once and a thread of the web process
builds it after the response, part by part, the page showing how far it has got.

Most tests here swap the build for a stand-in or run it inline (REPORT_EXPORTS_IN_THREAD is
off in the tests); the last ones start the real thread, in a test whose transactions commit
so that the thread sees the rows."""

import threading
from pathlib import Path

import pytest
from django.test import TestCase
from django.urls import reverse

from cases import tasks
from cases.models import Case, ReportExport
from cases.services import report_exports
from tests.support.cast import client_for
from tests.support.exports import export_now, insurer_book, read_zip, signed_with_certification
from tests.support.factories import CaseFactory


def _ask(user, cases=None) -> ReportExport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return report_exports.report_export_request(
            requested_by=user, cases=cases if cases is not None else Case.objects.all()
        )


def _build_thread(export: ReportExport) -> threading.Thread:
    return next(t for t in threading.enumerate() if t.name == f"report-export-{export.pk}")


@pytest.fixture
def three(cast):
    """Three signed certifications of the adjuster's insurer."""
    signed_with_certification(cast.case, cast.clinician)
    for _ in range(2):
        case = CaseFactory(insurer=cast.case.insurer, care_team=[cast.clinician])
        signed_with_certification(case, cast.clinician)
    return cast


def test_asking_returns_before_the_build_has_started_and_the_thread_builds_it(
    cast, settings, monkeypatch
):
    settings.REPORT_EXPORTS_IN_THREAD = True
    release, built = threading.Event(), []

    def slow_build(*, export_id: int) -> None:
        release.wait(timeout=10)
        built.append((export_id, threading.current_thread().name))

    monkeypatch.setattr(report_exports, "export_build_without_broker", slow_build)
    signed_with_certification(cast.case, cast.clinician)

    export = _ask(cast.adjuster)

    # The request is answered, the export recorded and queued, and nothing built yet.
    export.refresh_from_db()
    assert export.status == ReportExport.Status.QUEUED
    assert built == []
    thread = _build_thread(export)
    assert thread.daemon and thread.is_alive()
    release.set()
    thread.join(timeout=10)
    assert built == [(export.pk, f"report-export-{export.pk}")]


def test_asking_from_the_page_redirects_to_the_export_while_it_is_queued(
    cast, settings, monkeypatch
):
    settings.REPORT_EXPORTS_IN_THREAD = True
    release = threading.Event()
    monkeypatch.setattr(
        report_exports, "export_build_without_broker", lambda **_: release.wait(timeout=10)
    )
    signed_with_certification(cast.case, cast.clinician)
    client = client_for(cast.adjuster)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("export-create"), {"scope": "filter", "filter": ""})

    export = ReportExport.objects.get()
    page = client.get(response.url).content.decode()
    assert "Queued</span>: about to start." in page
    assert 'hx-trigger="every 2s"' in page
    release.set()
    _build_thread(export).join(timeout=10)


def test_progress_advances_part_by_part_one_certification_each_on_a_small_export(three):
    with TestCase.captureOnCommitCallbacks(execute=False):
        export = report_exports.report_export_request(
            requested_by=three.adjuster, cases=Case.objects.all()
        )
    plan = report_exports.export_plan(export_id=export.pk)
    assert [len(part) for part in plan.parts] == [1, 1, 1]
    client = client_for(three.adjuster)
    url = reverse("export-progress", args=[export.pk])

    seen = []
    for index, part in enumerate(plan.parts):
        report_exports.export_part_build(
            export_id=export.pk, attempt=plan.attempt, index=index, determination_ids=part
        )
        html = client.get(url, headers={"HX-Request": "true"}).content.decode()
        seen.append(html)
    assert "1 of 3 certifications checked." in seen[0]
    assert '<progress class="export-bar" max="3" value="1"' in seen[0]
    assert "2 of 3 certifications checked." in seen[1]
    assert '<progress class="export-bar" max="3" value="2"' in seen[1]
    assert "3 of 3 certifications checked, writing the ZIP." in seen[2]
    assert all('hx-trigger="every 2s"' in html for html in seen)

    report_exports.export_assemble(export_id=export.pk, attempt=plan.attempt)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Ready to download" in done
    assert "3 of 3 certifications in the ZIP." in done
    assert "hx-trigger" not in done


@pytest.mark.parametrize(
    "count,size", [(1, 1), (3, 1), (100, 1), (101, 2), (150, 2), (4000, 40), (9000, 50)]
)
def test_parts_are_small_enough_for_about_a_hundred_steps_and_at_most_fifty(count, size):
    assert report_exports.part_size(count) == size


def test_a_build_that_fails_shows_why_and_offers_to_ask_again(cast, monkeypatch):
    signed_with_certification(cast.case, cast.clinician)

    def broken(**_):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(tasks.build_report_export, "delay", broken)
    export = export_now(cast.adjuster, scope=ReportExport.Scope.FILTER, filter_query="q=CLM")

    assert export.status == ReportExport.Status.FAILED
    client = client_for(cast.adjuster)
    page = client.get(export.get_absolute_url()).content.decode()
    assert 'role="alert"' in page
    assert "The export could not be built. Try again; if it fails again, tell your" in page
    assert "Ask for it again" in page
    assert 'name="filter" value="q=CLM"' in page
    assert "hx-trigger" not in page
    assert reverse("export-download", args=[export.pk]) not in page


def test_asking_again_from_a_failed_export_makes_a_new_one_of_the_same_cases(cast):
    signed_with_certification(cast.case, cast.clinician)
    failed = export_now(cast.adjuster, cases=Case.objects.filter(pk=cast.case.pk))
    ReportExport.objects.filter(pk=failed.pk).update(
        status=ReportExport.Status.FAILED, error="The task queue could not be reached. Try again."
    )
    client = client_for(cast.adjuster)
    page = client.get(failed.get_absolute_url()).content.decode()
    assert f'<input type="hidden" name="case" value="{cast.case.pk}">' in page

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("export-create"), {"scope": "selected", "case": [cast.case.pk]}
        )

    again = ReportExport.objects.exclude(pk=failed.pk).get()
    assert response.url == again.get_absolute_url()
    assert again.status == ReportExport.Status.DONE
    assert again.case_ids == [cast.case.pk]


# --- The real thread ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_thread_really_builds_the_export_and_the_page_shows_it_done(cast, settings):
    settings.REPORT_EXPORTS_IN_THREAD = True
    book = insurer_book(cast)

    export = report_exports.report_export_request(
        requested_by=book.adjuster, cases=Case.objects.all()
    )
    _build_thread(export).join(timeout=60)

    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE
    assert export.done == export.total == 2
    members, manifest = read_zip(Path(export.file.path).read_bytes())
    assert sorted(members) == sorted(
        f"MMI-{report.case.claim_number}-v{report.version}.pdf" for report in book.reports
    )
    page = client_for(book.adjuster).get(export.get_absolute_url()).content.decode()
    assert "Ready to download" in page
    assert book.foreign_case.claim_number not in page


@pytest.mark.django_db(transaction=True)
def test_a_failure_in_the_thread_is_recorded_on_the_export(cast, settings, monkeypatch):
    settings.REPORT_EXPORTS_IN_THREAD = True
    signed_with_certification(cast.case, cast.clinician)

    def always_fails(reports):
        raise OSError("No space left on device")

    monkeypatch.setattr(report_exports, "manifest_csv", always_fails)

    export = report_exports.report_export_request(
        requested_by=cast.adjuster, cases=Case.objects.all()
    )
    _build_thread(export).join(timeout=60)

    export.refresh_from_db()
    assert export.status == ReportExport.Status.FAILED
    assert export.error.startswith("The export could not be built. Try again")
    assert not export.file
