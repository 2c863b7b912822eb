"""Therapy response of cases: outcome trends, the plateau verdict and progress charts
(docs/domain.md §5), read with a fixed number of queries whatever the data size.

The rules are the pure ones in cases/domain/outcomes.py and cases/reports/charts.py; this
module only feeds them from the database:

- ``case_outcome_trends(case)`` and ``case_progress_charts(case)`` read one case's records
  from its prefetched relations (``selectors.case_with_records`` loads them; callers that
  load a case another way add ``OUTCOME_PREFETCHES``) and make no query of their own;
  ``case_outcome_trends_from_scores(case, scores)`` does the same with scores read apart
  (the case page: ``selectors.case_page``);
- ``judge_cases(cases)`` judges many cases at once: for the verdict kept on each case
  (cases/services/plateau.py) and the reasons of the status board's plateau and
  deterioration rows; ``plateau_candidates(cases)`` and ``deteriorating_cases(cases)`` keep
  the cases with each verdict.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from ..domain.outcomes import (
    DatedScore,
    MeasureTrend,
    PlateauVerdict,
    RestrictionSet,
    ScoreOutOfRange,
    check_in_range,
    format_decimal,
    measure_trend,
    plateau_candidate,
    restrictions_changed,
)
from ..models import (
    Assessment,
    Case,
    Instrument,
    OutcomeScore,
    Treatment,
    WorkRestriction,
    WorkStatus,
)
from ..reports.charts import ProgressChart, TreatmentMarker, date_label, progress_chart

# What a case needs prefetched for case_outcome_trends_from_scores: all but the scores.
OUTCOME_CONTEXT_PREFETCHES = (
    "tracked_instruments",
    "treatments",
    Prefetch(
        "work_statuses",
        queryset=WorkStatus.objects.select_related("issued_by").prefetch_related("restrictions"),
    ),
)

# What a case needs prefetched for case_outcome_trends / case_progress_charts.
OUTCOME_PREFETCHES = (
    *OUTCOME_CONTEXT_PREFETCHES,
    Prefetch(
        "assessments",
        queryset=Assessment.objects.select_related("clinician").prefetch_related(
            Prefetch("scores", queryset=OutcomeScore.objects.select_related("instrument"))
        ),
    ),
)

# Treatments drawn on the charts (docs/domain.md §6 step 2): procedures on their day, therapy
# programmes at their start and end. Medication and pain management are left off: they run
# alongside everything and would hide the events that explain a change.
PROCEDURE_KINDS: dict[str, str] = {
    Treatment.Kind.SURGERY: "surgery",
    Treatment.Kind.INJECTION: "injection",
}
THERAPY_KINDS = {
    Treatment.Kind.PHYSICAL_THERAPY,
    Treatment.Kind.OCCUPATIONAL_THERAPY,
    Treatment.Kind.CHIROPRACTIC,
    Treatment.Kind.WORK_HARDENING,
    Treatment.Kind.HOME_EXERCISE,
}

# The fields that make one restriction what it is; notes and "permanent" do not change it.
RESTRICTION_FIELDS = tuple(
    name for name in WorkRestriction.RECORDED_FIELDS if name not in {"is_permanent", "notes"}
)


@dataclass(frozen=True)
class CaseOutcomes:
    """A case's therapy response: one trend and one chart per tracked measure, in the same
    order, and whether the case is a plateau candidate. ``problems`` lists scores left out
    because they no longer fit their instrument's range (the range was edited since)."""

    trends: tuple[MeasureTrend, ...]
    charts: tuple[ProgressChart, ...]
    verdict: PlateauVerdict
    problems: tuple[str, ...]


def case_outcome_trends(case: Case, *, chart_id: str = "") -> CaseOutcomes:
    """The trends, charts and plateau verdict of one case, from its prefetched records.

    No query of its own when the case comes from ``selectors.case_with_records`` or a
    queryset with ``OUTCOME_PREFETCHES``. ``chart_id`` keeps the charts' SVG ids unique
    when a page shows the same case's charts twice.
    """
    scores: dict[int, list[DatedScore]] = defaultdict(list)
    for assessment in case.assessments.all():
        for score in assessment.scores.all():
            scores[score.instrument_id].append(
                DatedScore(assessment.date, score.value, score.scale_max)
            )
    return case_outcome_trends_from_scores(case, scores, chart_id=chart_id)


def case_outcome_trends_from_scores(
    case: Case, scores: Mapping[int, Sequence[DatedScore]], *, chart_id: str = ""
) -> CaseOutcomes:
    """``case_outcome_trends`` with the case's scores read apart: ``scores`` maps an
    instrument's id to its scores, assessments in date order. The tracked measures,
    treatments and work statuses still come prefetched (``OUTCOME_CONTEXT_PREFETCHES``)."""
    tracked = list(case.tracked_instruments.all())
    fitting, problems = _fitting_scores(tracked, scores)
    markers = _treatment_markers(case.treatments.all())
    charts = tuple(
        progress_chart(instrument.spec, fitting[instrument.pk], markers, chart_id=chart_id)
        for instrument in tracked
    )
    trends = tuple(chart.trend for chart in charts)
    history = [
        RestrictionSet(
            status.effective_from,
            _restriction_terms(
                status.kind,
                status.hours_per_day,
                [
                    tuple(getattr(restriction, name) for name in RESTRICTION_FIELDS)
                    for restriction in status.restrictions.all()
                ],
            ),
        )
        for status in case.work_statuses.all()
    ]
    return CaseOutcomes(
        trends=trends,
        charts=charts,
        verdict=_verdict(trends, history),
        problems=problems,
    )


def case_progress_charts(case: Case, *, chart_id: str = "") -> tuple[ProgressChart, ...]:
    """One progress chart per tracked measure, with treatment markers, for the partial
    ``cases/partials/progress_chart.html`` (case page, determination step 2, PDF reports).
    Reads the prefetched records like ``case_outcome_trends``."""
    return case_outcome_trends(case, chart_id=chart_id).charts


def judge_cases(cases: QuerySet[Case]) -> list[tuple[Case, PlateauVerdict]]:
    """Every case of ``cases`` with its plateau verdict (docs/domain.md §5), in the
    queryset's order: whether it is a plateau candidate and which measures are
    deteriorating.

    Four queries whatever the number of cases: the cases, their tracked measures, the
    scores of all of them, and their work statuses joined to their restrictions. Narrow
    ``cases`` first (status, no open determination): every score of every case given is
    read.
    """
    case_list = list(cases.prefetch_related("tracked_instruments"))
    if not case_list:
        return []
    case_ids = cases.values("pk")

    scores: dict[int, dict[int, list[DatedScore]]] = defaultdict(lambda: defaultdict(list))
    for case_id, instrument_id, when, value, scale_max in OutcomeScore.objects.filter(
        assessment__case__in=case_ids
    ).values_list("assessment__case_id", "instrument_id", "assessment__date", "value", "scale_max"):
        scores[case_id][instrument_id].append(DatedScore(when, value, scale_max))

    # case id → status id → (effective from, kind, hours a day, restrictions), in date order
    statuses: dict[int, dict[int, tuple[date, str, int | None, list[tuple]]]] = defaultdict(dict)
    rows = (
        WorkStatus.objects.filter(case__in=case_ids)
        .order_by("effective_from", "pk")
        .values_list(
            "case_id",
            "pk",
            "effective_from",
            "kind",
            "hours_per_day",
            *(f"restrictions__{name}" for name in RESTRICTION_FIELDS),
        )
    )
    for case_id, status_id, effective_from, kind, hours, *restriction in rows:
        entry = statuses[case_id].setdefault(status_id, (effective_from, kind, hours, []))
        if restriction[0] is not None:  # a status without restrictions joins one empty row
            entry[3].append(tuple(restriction))

    judged = []
    for case in case_list:
        tracked = list(case.tracked_instruments.all())
        fitting, _ = _fitting_scores(tracked, scores[case.pk])
        trends = [measure_trend(instrument.spec, fitting[instrument.pk]) for instrument in tracked]
        history = [
            RestrictionSet(effective_from, _restriction_terms(kind, hours, restrictions))
            for effective_from, kind, hours, restrictions in statuses[case.pk].values()
        ]
        judged.append((case, _verdict(trends, history)))
    return judged


def plateau_candidates(cases: QuerySet[Case]) -> list[tuple[Case, PlateauVerdict]]:
    """The cases of ``cases`` that are plateau candidates, each with its verdict, in the
    queryset's order (``judge_cases``: four queries)."""
    return [(case, verdict) for case, verdict in judge_cases(cases) if verdict.is_candidate]


def deteriorating_cases(cases: QuerySet[Case]) -> list[tuple[Case, PlateauVerdict]]:
    """The cases of ``cases`` with a deteriorating measure, each with its verdict, in the
    queryset's order (``judge_cases``: four queries)."""
    return [(case, verdict) for case, verdict in judge_cases(cases) if verdict.is_deteriorating]


def _fitting_scores(
    tracked: Sequence[Instrument], scores: Mapping[int, Sequence[DatedScore]]
) -> tuple[dict[int, list[DatedScore]], tuple[str, ...]]:
    """Each tracked measure's scores that fit its current range, and a note for the rest.

    The database keeps every score within the range it was recorded on; an administrator
    may narrow an instrument's range later, and the page must still show the others."""
    fitting: dict[int, list[DatedScore]] = {}
    problems = []
    for instrument in tracked:
        spec = instrument.spec
        kept: list[DatedScore] = []
        left_out: list[tuple[Decimal, date]] = []
        for score in scores.get(instrument.pk, ()):
            if score.value is None:  # missing: nothing to check, the trend skips it
                kept.append(score)
                continue
            try:
                check_in_range(spec, score.value, score.scale_max)
            except ScoreOutOfRange:
                left_out.append((score.value, score.date))
            else:
                kept.append(score)
        fitting[instrument.pk] = kept
        if left_out:
            values = ", ".join(
                f"{format_decimal(value)} on {date_label(day)}" for value, day in left_out
            )
            problems.append(
                f"{instrument.abbreviation} scores outside its range of "
                f"{instrument.range_label} were left out: {values}. Correct the assessment "
                "or the instrument's range."
            )
    return fitting, tuple(problems)


def _treatment_markers(treatments: Iterable[Treatment]) -> list[TreatmentMarker]:
    markers = []
    for treatment in treatments:
        kind_label = treatment.get_kind_display()
        if treatment.kind in PROCEDURE_KINDS:
            markers.append(
                TreatmentMarker(
                    treatment.start_date,
                    f"{kind_label}: {treatment.description}",
                    PROCEDURE_KINDS[treatment.kind],
                )
            )
        elif treatment.kind in THERAPY_KINDS:
            markers.append(
                TreatmentMarker(
                    treatment.start_date,
                    f"Start of {kind_label.lower()}: {treatment.description}",
                    "therapy_start",
                )
            )
            if treatment.end_date is not None:
                markers.append(
                    TreatmentMarker(
                        treatment.end_date,
                        f"End of {kind_label.lower()}: {treatment.description}",
                        "therapy_end",
                    )
                )
    return markers


def _restriction_terms(
    kind: str, hours_per_day: int | None, restrictions: Iterable[tuple]
) -> frozenset:
    """What a work status limits, comparable across statuses (activity in any case/spacing)."""
    terms: set = {("kind", kind), ("hours_per_day", hours_per_day)}
    for category, activity, *rest in restrictions:
        terms.add(("restriction", category, " ".join(activity.casefold().split()), *rest))
    return frozenset(terms)


def _verdict(trends: Sequence[MeasureTrend], history: Sequence[RestrictionSet]) -> PlateauVerdict:
    """docs/domain.md §5: the restrictions are compared over the span of the measures'
    plateau windows, from the earliest window start to the latest window end."""
    windows = [
        (trend.plateau.window_start, trend.plateau.window_end)
        for trend in trends
        if trend.plateau.window_start is not None and trend.plateau.window_end is not None
    ]
    changed = bool(windows) and restrictions_changed(
        history,
        start=min(start for start, _ in windows),
        end=max(end for _, end in windows),
    )
    return plateau_candidate(trends, restrictions_changed=changed)
