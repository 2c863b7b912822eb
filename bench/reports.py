"""Time to render each PDF report, and how much of it is WeasyPrint's own.

    .venv/bin/python bench/reports.py [--runs 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mmi_bench .venv/bin/python bench/reports.py

Makes a throwaway test database (Django's test database for the configured one), fills one
case with 40 scored assessments and 10 treatments, then renders each report --runs times
and prints, as a Markdown table: the median time of the whole rendering (queries, content,
template and PDF), the queries it made, the median time WeasyPrint alone takes on the same
final HTML, and what our part (the rest) adds on top of WeasyPrint. Goal: at most
30 % on top, with a query count that does not grow with the number of rows.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmi_tracker.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from weasyprint import HTML  # noqa: E402

from cases.models import Determination, Instrument, IssuedReport  # noqa: E402
from cases.reports import rendering  # noqa: E402
from cases.reports.documents import (  # noqa: E402
    render_case_document,
    render_determination_document,
)
from cases.reports.rendering import REPORT_ORIGIN, StaticFilesOnlyFetcher  # noqa: E402
from tests.support.factories import (  # noqa: E402
    AssessmentFactory,
    CaseFactory,
    ClinicianFactory,
    ConsultationFactory,
    DeterminationFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)

ASSESSMENTS = 40
TREATMENTS = 10


def fill() -> tuple[int, int]:
    """One case with the benchmark's records and a signed determination."""
    clinician = ClinicianFactory()
    case = CaseFactory(
        care_team=[clinician], date_of_injury=timezone.localdate() - timedelta(days=400)
    )
    odi, nprs = (
        Instrument.objects.get(abbreviation="ODI"),
        Instrument.objects.get(abbreviation="NPRS"),
    )
    case.tracked_instruments.set([odi, nprs])
    for n in range(TREATMENTS):
        TreatmentFactory(
            case=case,
            kind=["pt", "injection", "medication", "surgery", "ot"][n % 5],
            description=f"Treatment {n + 1}",
            start_date=case.date_of_injury + timedelta(days=5 + 30 * n),
            end_date=case.date_of_injury + timedelta(days=20 + 30 * n),
        )
    for n in range(ASSESSMENTS):
        assessment = AssessmentFactory(
            case=case,
            clinician=clinician,
            date=case.date_of_injury + timedelta(days=7 * (n + 1)),
            findings="Paraspinal tenderness; flexion limited.",
        )
        OutcomeScoreFactory(assessment=assessment, instrument=odi, value=Decimal(70 - n))
        OutcomeScoreFactory(assessment=assessment, instrument=nprs, value=Decimal(8 - n // 6))
    for _ in range(3):
        DiagnosticFactory(case=case)
        ConsultationFactory(case=case)
    status = WorkStatusFactory(case=case, issued_by=clinician)
    WorkRestrictionFactory(work_status=status)
    exam = case.date_of_injury + timedelta(days=7 * ASSESSMENTS)
    determination = DeterminationFactory(
        case=case,
        version=1,
        certifying_clinician=clinician,
        exam_date=exam,
        mmi_reached=True,
        mmi_type="clinical",
        mmi_date=exam,
        impairment_rating=8,
        guides_edition="4th",
        rationale="Plateau over twelve weeks.",
    )
    determination.status = Determination.Status.SIGNED
    determination.signed_at = timezone.now()
    determination.save()
    return case.pk, determination.pk


class _NoPdf:
    """Stands in for WeasyPrint's HTML while timing our part alone."""

    def __init__(self, **kwargs) -> None:
        pass

    def write_pdf(self) -> bytes:
        return b""


def measure(render, runs: int) -> tuple[float, float, int, float]:
    """Median ms of the whole rendering, median ms of our part alone (queries, content and
    template, with WeasyPrint stubbed out), the queries of one rendering, and median ms of
    WeasyPrint alone on the final HTML. Runs are interleaved so load from elsewhere on the
    machine falls on all three alike."""
    with CaptureQueriesContext(connection) as queries:
        rendered = render()
    totals, ours, weasy = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        rendered = render()
        totals.append(time.perf_counter() - start)

        with mock.patch.object(rendering, "HTML", _NoPdf):
            start = time.perf_counter()
            render()
            ours.append(time.perf_counter() - start)

        start = time.perf_counter()
        HTML(
            string=rendered.html, base_url=f"{REPORT_ORIGIN}/", url_fetcher=StaticFilesOnlyFetcher()
        ).write_pdf()
        weasy.append(time.perf_counter() - start)
    return (
        statistics.median(totals) * 1000,
        statistics.median(ours) * 1000,
        len(queries),
        statistics.median(weasy) * 1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0)
    try:
        case_id, determination_id = fill()
        now = timezone.now()
        reports = {
            "MMI certification": lambda: render_determination_document(
                determination_id, IssuedReport.Kind.CERTIFICATION, generated_at=now
            ),
            "Letter to the patient": lambda: render_determination_document(
                determination_id, IssuedReport.Kind.PATIENT_LETTER, generated_at=now
            ),
            "Case summary": lambda: render_case_document(
                case_id, IssuedReport.Kind.CASE_SUMMARY, generated_at=now
            ),
            "Work status report": lambda: render_case_document(
                case_id, IssuedReport.Kind.WORK_STATUS, generated_at=now
            ),
        }
        print(
            f"{ASSESSMENTS} assessments, {TREATMENTS} treatments; {connection.vendor}; "
            f"Python {platform.python_version()}; median of {args.runs} runs\n"
        )
        print(
            "| report | total ms | queries | our part ms (queries, content, template) "
            "| WeasyPrint alone ms | our part on top of WeasyPrint |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for name, render in reports.items():
            total, ours, queries, weasy = measure(render, args.runs)
            print(
                f"| {name} | {total:.0f} | {queries} | {ours:.0f} | {weasy:.0f} "
                f"| {ours / weasy * 100:.0f} % |"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
