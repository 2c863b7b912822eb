"""Each kind of report: which content builder and template make it, and its file name."""

from datetime import datetime

from django.utils import translation

from ..models import Case, Determination, IssuedReport
from .case_summary import (
    CaseSummary,
    case_summary,
    case_summary_file_name,
    case_with_summary_records,
)
from .certification import (
    certification_file_name,
    certification_report,
    determination_with_records,
)
from .official import texas
from .patient_letter import (
    determination_with_parties,
    letter_language,
    patient_letter,
    patient_letter_file_name,
)
from .rendering import RenderedReport, StaticFilesOnlyFetcher, render_report
from .work_status import WorkStatusReport, work_status_file_name, work_status_report

Kind = IssuedReport.Kind


class NothingToReport(Exception):
    """The case has nothing this report could show (no work status issued yet)."""


def determination_file_name(determination: Determination, kind: str) -> str:
    if kind == Kind.CERTIFICATION:
        return certification_file_name(determination)
    return patient_letter_file_name(determination)


def case_file_name(case: Case, kind: str, generated_at: datetime) -> str:
    if kind == Kind.CASE_SUMMARY:
        return case_summary_file_name(case, generated_at)
    return work_status_file_name(case, generated_at)


def render_determination_document(
    determination_id: int,
    kind: str,
    *,
    generated_at: datetime,
    fetcher: StaticFilesOnlyFetcher | None = None,
) -> RenderedReport:
    """The certification or the patient letter of a determination, as it stands now."""
    if kind == Kind.PATIENT_LETTER:
        letter_of = determination_with_parties(determination_id)
        # In the patient's language, dates included (docs/domain.md §9).
        with translation.override(letter_language(letter_of)):
            letter = patient_letter(letter_of, generated_at=generated_at)
            return render_report(
                "reports/patient_letter.html",
                {"report": letter, "header": letter.header},
                fetcher=fetcher,
            )
    if kind != Kind.CERTIFICATION:
        raise ValueError(f"{kind!r} is not a report of a determination.")
    determination = determination_with_records(determination_id)
    content = certification_report(determination, generated_at=generated_at)
    if not determination.is_draft and texas.issues_official_forms(
        determination.jurisdiction or determination.case.jurisdiction
    ):
        narrative = render_report(
            "reports/certification.html",
            {"report": content, "header": content.header},
            fetcher=fetcher,
        )
        return texas.certification_issue(determination_id, narrative=narrative)
    return render_report(
        "reports/certification.html", {"report": content, "header": content.header}, fetcher=fetcher
    )


def render_case_document(
    case_id: int,
    kind: str,
    *,
    generated_at: datetime,
    fetcher: StaticFilesOnlyFetcher | None = None,
) -> RenderedReport:
    """The case summary or the employer's work status report, as the case stands now."""
    content: CaseSummary | WorkStatusReport
    if kind == Kind.CASE_SUMMARY:
        content = case_summary(case_with_summary_records(case_id), generated_at=generated_at)
        template = "reports/case_summary.html"
    elif kind == Kind.WORK_STATUS:
        jurisdiction = Case.objects.filter(pk=case_id).values_list("jurisdiction", flat=True)
        if texas.issues_official_forms(jurisdiction.first() or ""):
            official = texas.work_status_issue(case_id)
            if official is None:
                raise NothingToReport("No work status has been issued on this case yet.")
            return official
        work_status = work_status_report(case_id, generated_at=generated_at)
        if work_status is None:
            raise NothingToReport("No work status has been issued on this case yet.")
        content = work_status
        template = "reports/work_status.html"
    else:
        raise ValueError(f"{kind!r} is not a report of a case.")
    return render_report(template, {"report": content, "header": content.header}, fetcher=fetcher)
