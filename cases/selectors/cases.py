"""Reads that pages share (docs/architecture.md §4): a fixed number of queries whatever the
data size."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from django.db.models import Prefetch
from django.utils import timezone

from ..access import cases_visible_to
from ..domain.outcomes import DatedScore
from ..models import Assessment, Case, Determination, OutcomeScore, User, WorkStatus
from .outcomes import OUTCOME_CONTEXT_PREFETCHES, OUTCOME_PREFETCHES

T = TypeVar("T")

# How much of a long record the case page lists unless asked for all of it; its charts
# still draw every score.
LATEST_ASSESSMENTS = 20
LATEST_TIMELINE_ENTRIES = 30


def case_record_prefetches(determinations, *, assessments: bool = True) -> list:
    """What the case page and the case summary read of a case's child records: one query
    per kind of record, whatever their number. ``determinations`` picks the versions;
    ``assessments=False`` leaves out the assessments and their scores (``case_page`` reads
    them apart)."""
    return [
        *(OUTCOME_PREFETCHES if assessments else OUTCOME_CONTEXT_PREFETCHES),
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
    """One visible case with every child record prefetched, every assessment with its
    scores included (the FHIR export)."""
    return (
        cases_visible_to(user)
        .with_parties()
        .prefetch_related(*case_record_prefetches(Determination.objects.all()))
        .filter(pk=case_id)
        .first()
    )


@dataclass(frozen=True)
class Latest(Generic[T]):
    """The latest ``items`` of a record of ``total``, oldest first: all of them, or the
    last ones when a limit left the earlier out."""

    items: tuple[T, ...]
    total: int

    @property
    def shows_all(self) -> bool:
        return len(self.items) == self.total

    def last(self, limit: int | None) -> "Latest[T]":
        """The last ``limit`` of these items (all of them when None), of the same total."""
        if limit is None:
            return self
        return Latest(self.items[max(len(self.items) - limit, 0) :], self.total)


@dataclass(frozen=True)
class RecordedScore:
    """One outcome score of an assessment, as the case page lists it."""

    abbreviation: str
    value: Decimal
    scale_max: Decimal
    instrument_maximum: Decimal

    @classmethod
    def of(cls, score: OutcomeScore) -> "RecordedScore":
        return cls(
            score.instrument.abbreviation, score.value, score.scale_max, score.instrument.maximum
        )

    def __str__(self) -> str:
        """ "ODI 34"; "NDI 40 (of 100)" when recorded on the measure's other scale."""
        text = f"{self.abbreviation} {self.value.normalize():f}"
        if self.scale_max != self.instrument_maximum:
            text += f" (of {self.scale_max.normalize():f})"
        return text


@dataclass(frozen=True)
class AssessmentRow:
    """An assessment with its scores, read once."""

    assessment: Assessment
    scores: tuple[RecordedScore, ...]

    @property
    def scores_text(self) -> str:
        """ "ODI 34 · NPRS 5", or "—" without a score."""
        return " · ".join(str(score) for score in self.scores) or "—"


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    kind: str
    title: str
    detail: str
    url: str = ""


@dataclass(frozen=True)
class CasePage:
    """A case as its page shows it (``case_page``)."""

    case: Case
    scores: dict[int, list[DatedScore]]  # instrument id → every score, in date order
    assessments: Latest[AssessmentRow]
    timeline: Latest[TimelineEntry]


def case_page(
    case_id: int, user: User, *, all_assessments: bool = False, whole_timeline: bool = False
) -> CasePage | None:
    """One visible case as its page shows it, in a fixed number of queries however long
    the record: its child records prefetched, every score as plain values (the charts draw
    them all), and as objects only the assessments the page lists: the latest
    ``LATEST_ASSESSMENTS`` of them and the latest ``LATEST_TIMELINE_ENTRIES`` timeline
    entries unless all of them are asked for."""
    case = (
        cases_visible_to(user)
        .with_parties()
        .prefetch_related(*case_record_prefetches(Determination.objects.all(), assessments=False))
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        return None
    scores, recorded = _case_scores(case)
    ids = list(recorded)
    # Enough of the latest assessments for both lists: a timeline entry among the latest
    # is never an assessment earlier than the latest LATEST_TIMELINE_ENTRIES (both lists
    # are in date order).
    every = all_assessments or whole_timeline
    listed = ids if every else ids[-max(LATEST_ASSESSMENTS, LATEST_TIMELINE_ENTRIES) :]
    assessments = Latest(
        tuple(
            AssessmentRow(assessment, tuple(recorded[assessment.pk]))
            for assessment in case.assessments.filter(pk__in=listed).select_related("clinician")
        ),
        len(ids),
    )
    entries = _timeline(case, assessments.items)
    timeline = Latest(tuple(entries), len(entries) + len(ids) - len(listed))
    return CasePage(
        case=case,
        scores=scores,
        assessments=assessments.last(None if all_assessments else LATEST_ASSESSMENTS),
        timeline=timeline.last(None if whole_timeline else LATEST_TIMELINE_ENTRIES),
    )


def _case_scores(
    case: Case,
) -> tuple[dict[int, list[DatedScore]], dict[int, list[RecordedScore]]]:
    """Every score of the case as plain values, in one query: by measure for the charts, and
    by assessment for its row, every assessment included; both in date order."""
    by_measure: dict[int, list[DatedScore]] = defaultdict(list)
    by_assessment: dict[int, list[RecordedScore]] = {}
    rows = case.assessments.order_by("date", "pk", "scores__instrument__abbreviation").values_list(
        "pk",
        "date",
        "scores__instrument_id",
        "scores__instrument__abbreviation",
        "scores__instrument__maximum",
        "scores__value",
        "scores__scale_max",
    )
    for assessment_id, when, measure_id, abbreviation, maximum, value, scale_max in rows:
        by_assessment.setdefault(assessment_id, [])
        if measure_id is not None:  # an assessment without scores joins one empty row
            by_measure[measure_id].append(DatedScore(when, value, scale_max))
            by_assessment[assessment_id].append(
                RecordedScore(abbreviation, value, scale_max, maximum)
            )
    return dict(by_measure), by_assessment


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Everything that happened on a case, oldest first, from the prefetched records."""
    return _timeline(
        case,
        (
            AssessmentRow(a, tuple(RecordedScore.of(score) for score in a.scores.all()))
            for a in case.assessments.all()
        ),
    )


def _timeline(case: Case, assessments: Iterable[AssessmentRow]) -> list[TimelineEntry]:
    """The timeline with only the given assessments (see ``case_page``)."""
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
    for row in assessments:
        scores = ", ".join(
            f"{score.abbreviation} {score.value.normalize():f}" for score in row.scores
        )
        entries.append(
            TimelineEntry(
                row.assessment.date,
                "assessment",
                f"Assessment by {row.assessment.clinician}",
                scores,
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
                    timezone.localdate(determination.signed_at),
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
