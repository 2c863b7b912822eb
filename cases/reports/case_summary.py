"""The case summary: patient, claim and parties, status, the certification in force, the
current work status and restrictions, treatments, assessments with their scores and a chart
per measure, diagnostics, consultations and the timeline."""

from dataclasses import dataclass
from datetime import datetime

from ..models import Case, Determination, WorkStatus
from ..selectors.cases import TimelineEntry, case_record_prefetches, case_timeline
from ..selectors.outcomes import case_outcome_trends
from .charts import ProgressChart
from .content import ClaimParties, ReportHeader, case_document_file_name, claim_parties


@dataclass(frozen=True)
class CaseSummary:
    header: ReportHeader
    parties: ClaimParties
    case: Case
    status_label: str
    care_team: tuple[str, ...]
    timeline: tuple[TimelineEntry, ...]
    charts: tuple[ProgressChart, ...]
    plateau_reasons: tuple[str, ...]
    work_status: WorkStatus | None
    work_status_statement: str
    in_force: Determination | None
    determinations: tuple[Determination, ...]


def case_summary_file_name(case: Case, generated_at: datetime) -> str:
    return case_document_file_name("Case-summary", case, generated_at)


def case_with_summary_records(case_id: int) -> Case:
    """The case with every record the summary prints, in a fixed number of queries."""
    # Drafts are work in progress, not part of the record a summary reports.
    signed_versions = Determination.objects.exclude(status=Determination.Status.DRAFT)
    return (
        Case.objects.with_parties()
        .prefetch_related(*case_record_prefetches(signed_versions))
        .get(pk=case_id)
    )


def case_summary(case: Case, *, generated_at: datetime) -> CaseSummary:
    """The summary's content; ``case`` must come from ``case_with_summary_records``."""
    outcomes = case_outcome_trends(case, chart_id="summary")
    statuses = list(case.work_statuses.all())
    current = statuses[-1] if statuses else None
    determinations = tuple(case.determinations.all())
    return CaseSummary(
        header=ReportHeader(
            title="Case summary",
            claim_number=case.claim_number,
            state_claim_number=case.state_claim_number,
            patient_name=str(case.patient),
            document_id=case_summary_file_name(case, generated_at).removesuffix(".pdf"),
            generated_at=generated_at,
        ),
        parties=claim_parties(case),
        case=case,
        status_label=case.get_status_display(),
        care_team=tuple(str(clinician) for clinician in case.care_team.all()),
        timeline=tuple(case_timeline(case)),
        charts=outcomes.charts,
        plateau_reasons=outcomes.verdict.reasons,
        work_status=current,
        work_status_statement=current.statement if current else "",
        in_force=next((d for d in determinations if d.is_in_force), None),
        determinations=determinations,
    )
