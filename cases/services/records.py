"""Recording the clinical record: treatments, diagnostics, consultations, assessments
and work statuses (docs/architecture.md §3)."""

from collections.abc import Iterable
from decimal import Decimal
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from ..domain.outcomes import (
    PAIN_NOW_MEASURE,
    PainAnswersDiffer,
    ScoreOutOfRange,
    check_in_range,
    one_pain_answer,
)
from ..models import (
    Assessment,
    Case,
    CaseStatus,
    Consultation,
    Diagnostic,
    Instrument,
    OutcomeScore,
    Treatment,
    WorkRestriction,
    WorkStatus,
)
from .cases import case_start_treatment
from .plateau import case_plateau_refresh


@transaction.atomic
def treatment_save(*, treatment: Treatment) -> Treatment:
    """Create or change a treatment; the first treatment puts an open case into treatment."""
    treatment.full_clean()
    treatment.save()
    case = Case.objects.select_for_update().get(pk=treatment.case_id)
    if case.status in {CaseStatus.OPEN, CaseStatus.REOPENED}:
        case_start_treatment(case=case)
    return treatment


_Record = TypeVar("_Record", Diagnostic, Consultation)


@transaction.atomic
def record_save(*, record: _Record) -> _Record:
    """Create or change a diagnostic or consultation (their history is kept per field)."""
    record.full_clean()
    record.save()
    return record


def score_range_error(
    instrument: Instrument, value: Decimal, scale_max: Decimal | None
) -> str | None:
    """The message for a value outside its instrument's range, or None when it fits."""
    try:
        check_in_range(instrument.spec, value, scale_max)
    except ScoreOutOfRange as error:
        return str(error)
    return None


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    scores: dict[Instrument, tuple[Decimal | None, Decimal | None]],
) -> Assessment:
    """Record or correct an assessment with its scores.

    `scores` maps each instrument to (value, scale_max); a None value removes that score.
    Corrections keep history: every change to a score is a history row, not a delete.
    The case's last_assessed_on follows the assessment's date, its plateau verdict the
    scores. On a case that tracks the NPRS, pain now and the NPRS are one answer: an NPRS
    score sets pain now (cases/domain/outcomes.py one_pain_answer), and a pain now that
    differs from it raises ValidationError on pain_score. (The page and the API send pain
    now alone on such a case as the NPRS score.)
    """
    _pain_now_from_nprs(assessment, scores)
    assessment.full_clean()
    assessment.save()
    _case_last_assessed_refresh(assessment.case_id)
    existing = {score.instrument_id: score for score in assessment.scores.all()}
    for instrument, (value, scale_max) in scores.items():
        score = existing.get(instrument.pk)
        if value is None:
            if score is not None:
                score.delete()
            continue
        error = score_range_error(instrument, value, scale_max)
        if error:
            raise ScoreOutOfRange(error)
        scale_max = scale_max or instrument.maximum
        if score is None:
            score = OutcomeScore(assessment=assessment, instrument=instrument)
        if (score.value, score.scale_max) != (value, scale_max):
            score.value = value
            score.scale_min = instrument.minimum
            score.scale_max = scale_max
            score.save()
    case_plateau_refresh(assessment.case_id)
    return assessment


def _pain_now_from_nprs(
    assessment: Assessment, scores: dict[Instrument, tuple[Decimal | None, Decimal | None]]
) -> None:
    """Set the assessment's pain now from its NPRS score when the case tracks the NPRS and
    one is given."""
    given = {i.abbreviation: value for i, (value, _) in scores.items() if value is not None}
    if PAIN_NOW_MEASURE not in given:
        return
    if not assessment.case.tracked_instruments.filter(abbreviation=PAIN_NOW_MEASURE).exists():
        return
    try:
        _, assessment.pain_score = one_pain_answer(
            nprs=given[PAIN_NOW_MEASURE], pain_now=assessment.pain_score
        )
    except PainAnswersDiffer as error:
        raise ValidationError({"pain_score": str(error)}) from error


@transaction.atomic
def assessment_delete(*, assessment: Assessment) -> None:
    """Remove an assessment with its scores; the case's last_assessed_on goes back to the
    latest assessment left, or to none, and its plateau verdict is worked out again."""
    assessment.delete()
    _case_last_assessed_refresh(assessment.case_id)
    case_plateau_refresh(assessment.case_id)


def _case_last_assessed_refresh(case_id: int) -> None:
    """Keep the case's last_assessed_on (read by the "no assessment in 30 days" worklists,
    docs/architecture.md §4) at the date of its latest assessment."""
    Case.objects.filter(pk=case_id).refresh_last_assessed()


@transaction.atomic
def work_status_save(
    *, work_status: WorkStatus, restrictions: Iterable[WorkRestriction] = ()
) -> WorkStatus:
    """Record a work status with its restrictions (DWC073 model, docs/domain.md §7).

    Everything is checked before anything is written: the work status rules
    (cases/domain/work_status.py, through WorkStatus.rule_problems), then each row's own
    validation. A refusal raises ValidationError keyed by field (the rules about the list of
    restrictions are about the whole status; "restrictions.<n>.<field>" names one
    restriction's field). Nothing is saved.
    """
    restrictions = list(restrictions)
    problems = WorkStatus.rule_problems(
        kind=work_status.kind,
        effective_from=work_status.effective_from,
        expected_through=work_status.expected_through,
        explanation=work_status.explanation,
        restriction_count=len(restrictions),
        permanent=work_status.is_permanent,
    )
    if problems:
        raise ValidationError(problems)
    work_status.full_clean()
    errors: dict[str, list[str]] = {}
    for index, restriction in enumerate(restrictions):
        try:
            restriction.full_clean(exclude=["work_status"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                suffix = "" if name == "__all__" else f".{name}"
                errors[f"restrictions.{index}{suffix}"] = messages
    if errors:
        raise ValidationError(errors)
    work_status.save()
    for restriction in restrictions:
        restriction.work_status = work_status
        restriction.save()
    case_plateau_refresh(work_status.case_id)
    return work_status
