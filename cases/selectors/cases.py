"""Reads that pages share (docs/architecture.md §4): a fixed number of queries whatever the
data size."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from ..access import cases_visible_to
from ..models import Case, Determination, User, WorkStatus
from .outcomes import OUTCOME_PREFETCHES


def case_record_prefetches(determinations) -> list:
    """What the case page and the case summary read of a case's child records: one query
    per kind of record, whatever their number. ``determinations`` picks the versions."""
    return [
        *OUTCOME_PREFETCHES,
        "care_team",
        "disability_periods",
        "diagnostics",
        "consultations",
        "disputes",
        Prefetch(
            "determinations",
            queryset=determinations.select_related("certifying_clinician").order_by("-version"),
        ),
    ]


def case_with_records(case_id: int, user: User) -> Case | None:
    """One visible case with every child record the case page shows, prefetched."""
    return (
        cases_visible_to(user)
        .with_parties()
        .prefetch_related(*case_record_prefetches(Determination.objects.all()))
        .filter(pk=case_id)
        .first()
    )


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    kind: str
    title: str
    detail: str
    url: str = ""


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Everything that happened on a case, oldest first, from the prefetched records."""
    entries = [TimelineEntry(case.date_of_injury, "injury", "Injury", case.injury_description)]
    for treatment in case.treatments.all():
        entries.append(
            TimelineEntry(
                treatment.start_date,
                "treatment",
                f"{treatment.get_kind_display()} started",
                treatment.description,
            )
        )
        if treatment.end_date:
            entries.append(
                TimelineEntry(
                    treatment.end_date,
                    "treatment",
                    f"{treatment.get_kind_display()} ended",
                    treatment.description,
                )
            )
    for assessment in case.assessments.all():
        scores = ", ".join(
            f"{score.instrument.abbreviation} {score.value.normalize():f}"
            for score in assessment.scores.all()
        )
        entries.append(
            TimelineEntry(
                assessment.date, "assessment", f"Assessment by {assessment.clinician}", scores
            )
        )
    for diagnostic in case.diagnostics.all():
        entries.append(
            TimelineEntry(
                diagnostic.date,
                "diagnostic",
                diagnostic.get_kind_display(),
                diagnostic.get_stability_display(),
            )
        )
    for consultation in case.consultations.all():
        entries.append(
            TimelineEntry(
                consultation.date,
                "consultation",
                consultation.get_kind_display(),
                f"{consultation.consultant}: {consultation.get_mmi_opinion_display()}",
            )
        )
    for status in case.work_statuses.all():
        entries.append(
            TimelineEntry(
                status.effective_from,
                "work_status",
                status.get_kind_display(),
                "; ".join(str(r) for r in status.restrictions.all()),
            )
        )
    for determination in case.determinations.all():
        if determination.signed_at:
            entries.append(
                TimelineEntry(
                    determination.signed_at.date(),
                    "determination",
                    f"MMI determination v{determination.version} signed",
                    f"by {determination.certifying_clinician}",
                    determination.get_absolute_url(),
                )
            )
    for dispute in case.disputes.all():
        entries.append(
            TimelineEntry(
                dispute.notice_date,
                "dispute",
                f"Disputed by {dispute.get_disputed_by_display().lower()}",
                dispute.get_review_requested_display(),
            )
        )
    return sorted(entries, key=lambda entry: entry.date)


def current_work_status(case: Case) -> WorkStatus | None:
    """The latest work status from the prefetched records."""
    statuses = list(case.work_statuses.all())
    return statuses[-1] if statuses else None
