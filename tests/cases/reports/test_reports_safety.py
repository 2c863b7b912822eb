"""Reports never fetch anything but our static files, print user text as text, and read
their data in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from weasyprint.urls import URLFetchingError

from cases import services
from cases.models import (
    Determination,
    IssuedReport,
    Organisation,
    Patient,
    User,
)
from cases.reports import rendering
from cases.reports.case_summary import case_summary, case_with_summary_records
from cases.reports.certification import certification_report, determination_with_records
from cases.reports.documents import render_case_document, render_determination_document
from cases.reports.official.filling import form_field_values
from cases.reports.patient_letter import determination_with_parties, patient_letter
from cases.reports.rendering import (
    REPORT_ORIGIN,
    FetchRefused,
    MissingStaticFile,
    StaticFilesOnlyFetcher,
    render_report,
)
from cases.reports.work_status import work_status_report
from tests.support.factories import (
    AssessmentFactory,
    ConsultationFactory,
    DiagnosticFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)
from tests.support.reports import determination, fill_record, squeezed, text

IMG = '<img src="http://127.0.0.1:9/x">'
LINK = '<link href="file:///etc/passwd">'
SCRIPT = "<script>alert(1)</script>"
HOSTILE = f"Note {IMG} {LINK} {SCRIPT} end"


# --- The fetcher ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "https://example.com/static/reports/report.css",
        "file:///etc/passwd",
        "data:text/css;base64,Ym9keXtjb2xvcjpyZWR9",
        f"{REPORT_ORIGIN}/media/reports/secret.pdf",
        f"{REPORT_ORIGIN}/static/reports/report.css?x=1",
        "http://reports.mmi-tracker.invalid/static/reports/report.css",
        "ftp://reports.mmi-tracker.invalid/static/reports/report.css",
    ],
)
def test_fetcher_refuses_anything_but_our_static_files(url):
    fetcher = StaticFilesOnlyFetcher()

    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.served == []


def test_fetcher_refuses_to_climb_out_of_the_static_folders():
    fetcher = StaticFilesOnlyFetcher()

    with pytest.raises(MissingStaticFile):
        fetcher.fetch(f"{REPORT_ORIGIN}/static/..%2F..%2Fmmi_tracker/settings.py")
    assert fetcher.served == []


def test_fetcher_serves_our_stylesheet_and_fonts():
    fetcher = StaticFilesOnlyFetcher()

    css = fetcher.fetch(f"{REPORT_ORIGIN}/static/reports/report.css")
    font = fetcher.fetch(f"{REPORT_ORIGIN}/static/fonts/DejaVuSans.ttf")

    assert b"@page" in css.read()
    assert css.content_type == "text/css"
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font


def test_a_missing_static_file_stops_the_rendering():
    with pytest.raises(MissingStaticFile):
        StaticFilesOnlyFetcher().fetch(f"{REPORT_ORIGIN}/static/reports/missing.css")


@pytest.mark.pdf
def test_markup_that_reaches_weasyprint_fetches_nothing(monkeypatch):
    """The second wall: even raw markup (never produced from user text) loads nothing."""
    fetcher = StaticFilesOnlyFetcher()
    html = (
        f'<html><head><link rel="stylesheet" href="file:///etc/passwd"></head>'
        f'<body>{IMG}<img src="data:image/png;base64,iVBORw0KGgo=">'
        f"<span data-fingerprint></span></body></html>"
    )
    monkeypatch.setattr(rendering, "render_to_string", lambda name, context: html)

    rendered = render_report("raw.html", {}, fetcher=fetcher)

    assert rendered.pdf.startswith(b"%PDF")
    assert set(fetcher.refused) == {
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "data:image/png;base64,iVBORw0KGgo=",
    }
    assert fetcher.served == []


def test_fetch_refusal_is_an_error_weasyprint_reports_not_a_crash():
    assert issubclass(FetchRefused, ValueError)
    assert not issubclass(FetchRefused, URLFetchingError)  # WeasyPrint wraps it, goes on


# --- Hostile text in every free-text field --------------------------------------------------


@pytest.fixture
def hostile(cast):
    """Hostile text in every field a person types that a report prints."""
    case = cast.case
    short = IMG  # fits the 40- and 100-character fields
    Patient.objects.filter(pk=case.patient_id).update(
        first_name=short, last_name=SCRIPT, address=HOSTILE, phone=short
    )
    Organisation.objects.filter(pk__in=[case.insurer_id, case.employer_id]).update(
        name=HOSTILE[:200], address=HOSTILE, phone=short
    )
    User.objects.filter(pk__in=[cast.clinician.pk, cast.adjuster.pk, cast.case_manager.pk]).update(
        first_name=short, last_name=SCRIPT
    )
    case.state_claim_number = short
    case.injury_description = HOSTILE
    case.save()
    fill_record(case, cast.clinician, assessments=3, treatments=1)
    TreatmentFactory(
        case=case, description=HOSTILE, provider=HOSTILE, notes=HOSTILE, kind="surgery"
    )
    AssessmentFactory(
        case=case,
        clinician=cast.clinician,
        date=case.date_of_injury + timedelta(days=40),
        findings=HOSTILE,
        notes=HOSTILE,
    )
    DiagnosticFactory(case=case, body_part=short, findings=HOSTILE)
    ConsultationFactory(case=case, consultant=HOSTILE, specialty=short, opinion=HOSTILE)
    status = WorkStatusFactory(
        case=case, issued_by=cast.clinician, explanation=HOSTILE, medication_effects=HOSTILE
    )
    WorkRestrictionFactory(work_status=status, activity=short, notes=HOSTILE)
    signed = determination(
        case,
        cast.clinician,
        steps={
            "clinical": {
                "history": HOSTILE,
                "complaints": HOSTILE,
                "objective_findings": HOSTILE,
                "functional_status": HOSTILE,
            },
            "therapy": {"interpretation": HOSTILE},
            "diagnostics": {
                "reviews": [{"label": HOSTILE, "result": "stable"}],
                "comments": HOSTILE,
            },
            "consultations": {
                "opinions": [{"label": HOSTILE, "opinion": "agrees", "why": HOSTILE}],
                "comments": HOSTILE,
            },
            "legal": {"carrier_claim_number": short, "state_claim_number": short},
        },
        permanent_restrictions=HOSTILE,
        future_care=HOSTILE,
        return_to_work=HOSTILE,
        plan=HOSTILE,
        rationale=HOSTILE,
    )
    return signed


def renders(determination_id: int, case_id: int):
    now = timezone.now()
    for kind in IssuedReport.DETERMINATION_KINDS:
        fetcher = StaticFilesOnlyFetcher()
        yield (
            kind,
            fetcher,
            render_determination_document(
                determination_id, kind, generated_at=now, fetcher=fetcher
            ),
        )
    for kind in (IssuedReport.Kind.CASE_SUMMARY, IssuedReport.Kind.WORK_STATUS):
        fetcher = StaticFilesOnlyFetcher()
        yield kind, fetcher, render_case_document(case_id, kind, generated_at=now, fetcher=fetcher)


@pytest.mark.pdf
def test_hostile_text_is_printed_as_text_and_fetches_nothing(hostile):
    for kind, fetcher, rendered in renders(hostile.pk, hostile.case_id):
        assert fetcher.refused == [], kind
        assert all(url.startswith(f"{REPORT_ORIGIN}/static/") for url in fetcher.served), kind
        assert "<script>" not in rendered.html and '<img src="http' not in rendered.html, kind
        # A Texan document's official form holds the record's text in its fields.
        fields = " ".join(form_field_values(rendered.pdf).values())
        printed = squeezed(f"{text(rendered.pdf)} {fields}")
        assert squeezed(IMG) in printed, kind
        assert squeezed(SCRIPT) in printed, kind
        if kind != IssuedReport.Kind.WORK_STATUS:  # the employer copy has no free text
            assert squeezed(LINK) in printed, kind


# --- A fixed number of queries ---------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 12])
def test_certification_content_takes_thirteen_queries_whatever_the_record_size(
    cast, django_assert_num_queries, size
):
    fill_record(cast.case, cast.clinician, assessments=size, treatments=size)
    signed = determination(cast.case, cast.clinician, steps={"clinical": {"notes": "x"}})

    with django_assert_num_queries(13):
        certification_report(determination_with_records(signed.pk), generated_at=timezone.now())


@pytest.mark.parametrize("size", [2, 12])
def test_case_summary_content_takes_a_fixed_number_of_queries(
    cast, django_assert_num_queries, size
):
    fill_record(cast.case, cast.clinician, assessments=size, treatments=size)
    for version in range(1, size):
        determination(
            cast.case, cast.clinician, version=version, status=Determination.Status.SUPERSEDED
        )
    # ``size`` periods of disability, the last still open.
    began = cast.case.date_of_injury + timedelta(days=1)
    services.case_update(
        case=cast.case,
        disability_periods=[
            (began + timedelta(days=10 * n), began + timedelta(days=10 * n + 4))
            for n in range(size - 1)
        ]
        + [(began + timedelta(days=10 * size), None)],
    )

    # 13: the case, then one prefetch each for the care team, the tracked instruments, the
    # periods of disability (new: case_record_prefetches reads them for statutory MMI), the
    # treatments, diagnostics, consultations, disputes, assessments, their scores, the work
    # statuses, their restrictions and the determinations.
    with django_assert_num_queries(13):
        case_summary(case_with_summary_records(cast.case.pk), generated_at=timezone.now())


@pytest.mark.parametrize("size", [1, 8])
def test_work_status_content_takes_three_queries(cast, django_assert_num_queries, size):
    status = fill_record(cast.case, cast.clinician, assessments=size)
    for _ in range(size):
        WorkRestrictionFactory(work_status=status)

    with django_assert_num_queries(3):
        work_status_report(cast.case.pk, generated_at=timezone.now())


def test_letter_content_takes_one_query(cast, django_assert_num_queries):
    fill_record(cast.case, cast.clinician)
    signed = determination(cast.case, cast.clinician)

    with django_assert_num_queries(1):
        patient_letter(determination_with_parties(signed.pk), generated_at=timezone.now())
