"""Writes that matter (docs/architecture.md §3): keyword-only, typed, atomic, state rules
enforced here.

Views, forms, the admin, the API and management commands all call these.
"""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from .determination_steps import (
    STEPS_BY_SLUG,
    Review,
    certification_facts,
    load_case_records,
    review,
    saved_steps,
)
from .domain import impairment
from .domain.dates import day_label
from .domain.disability import DisabilityPeriod as DisabilityPeriodDates
from .domain.disability import check_disability_periods
from .domain.jurisdictions import for_code
from .domain.outcomes import ScoreOutOfRange, check_in_range
from .domain.validity import RULE_FIELDS, field_errors
from .models import (
    Assessment,
    Case,
    CaseStatus,
    Determination,
    DeterminationLocked,
    DeterminationStep,
    DisabilityPeriod,
    Dispute,
    ImpairmentItem,
    Instrument,
    OutcomeScore,
    Role,
    Treatment,
    User,
    WorkStatus,
)
from .reports.issuing import determination_reports_issue


class InvalidTransition(Exception):
    """The case or determination is not in a state that allows this change."""


DisabilityPeriods = Sequence[tuple[date, date | None]]


@transaction.atomic
def case_open(
    *,
    opened_by: User,
    care_team: Iterable[User] = (),
    tracked: Iterable[Instrument] = (),
    disability_periods: DisabilityPeriods = (),
    **fields,
) -> Case:
    """Open a new case, managed by whoever opens it unless a case manager is named.

    Its status starts at "open"; recording treatment moves it on. ``disability_periods`` are
    the (from, through) runs off work, through None while still off work."""
    fields.setdefault("case_manager", opened_by)
    case = Case(**fields)
    case.full_clean()
    case.save()
    case.care_team.set(care_team)
    case.tracked_instruments.set(tracked)
    _case_disability_set(case, disability_periods)
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    care_team: Iterable[User] | None = None,
    tracked: Iterable[Instrument] | None = None,
    disability_periods: DisabilityPeriods | None = None,
    **fields,
) -> Case:
    """Change a case's claim data, parties, care team or periods of disability (never its
    status). Statutory MMI is worked out again from what is saved."""
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case.save()
    if care_team is not None:
        case.care_team.set(care_team)
    if tracked is not None:
        case.tracked_instruments.set(tracked)
    _case_disability_set(case, disability_periods)
    return case


def case_statutory_mmi_refresh(*, case: Case) -> Case:
    """Work out the case's statutory MMI again from what is saved (after an edit that did
    not go through ``case_update``, such as the admin's)."""
    _case_disability_set(case, None)
    return case


def _case_disability_set(case: Case, periods: DisabilityPeriods | None) -> None:
    """Replace the case's periods of disability (None: keep them) after checking them
    together, and keep its first day of disability and statutory MMI date in step."""
    if periods is None:
        # Read afresh: a copy of the case may hold an older prefetch of its periods.
        periods = list(DisabilityPeriod.objects.filter(case=case).values_list("began", "ended"))
    else:
        problems = check_disability_periods(
            [DisabilityPeriodDates(began, ended) for began, ended in periods],
            date_of_injury=case.date_of_injury,
            today=timezone.localdate(),
        )
        if problems:
            raise ValidationError({"disability_periods": list(problems)})
        DisabilityPeriod.objects.filter(case=case).delete()
        DisabilityPeriod.objects.bulk_create(
            DisabilityPeriod(case=case, began=began, ended=ended) for began, ended in periods
        )
    statutory = case.statutory_mmi([DisabilityPeriodDates(b, e) for b, e in periods])
    case.disability_began = min((began for began, _ in periods), default=None)
    case.statutory_mmi_date = statutory.mmi_date if statutory else None
    case.save(update_fields=["disability_began", "statutory_mmi_date", "updated_at"])


def _case_set_status(case: Case, status: CaseStatus, *, allowed_from: set[str]) -> None:
    if case.status not in allowed_from:
        raise InvalidTransition(
            f"A case that is {case.get_status_display().lower()} cannot become "
            f"{status.label.lower()}."
        )
    case.status = status
    case.save(update_fields=["status", "updated_at"])


def case_start_treatment(*, case: Case) -> None:
    """Open and reopened cases move into treatment when treatment is recorded."""
    _case_set_status(
        case, CaseStatus.IN_TREATMENT, allowed_from={CaseStatus.OPEN, CaseStatus.REOPENED}
    )


def case_close(*, case: Case) -> Case:
    """Close a case that is at MMI."""
    _case_set_status(case, CaseStatus.CLOSED, allowed_from={CaseStatus.AT_MMI})
    return case


@transaction.atomic
def treatment_save(*, treatment: Treatment) -> Treatment:
    """Create or change a treatment; the first treatment puts an open case into treatment."""
    treatment.full_clean()
    treatment.save()
    case = Case.objects.select_for_update().get(pk=treatment.case_id)
    if case.status in {CaseStatus.OPEN, CaseStatus.REOPENED}:
        case_start_treatment(case=case)
    return treatment


@transaction.atomic
def record_save(*, record):
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
    """
    assessment.full_clean()
    assessment.save()
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
    return assessment


@transaction.atomic
def work_status_save(*, work_status: WorkStatus, restrictions: Iterable = ()) -> WorkStatus:
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
    )
    if problems:
        raise ValidationError(problems)
    work_status.full_clean()
    errors: dict[str, list] = {}
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
    return work_status


# The MMI determination (docs/domain.md §2, §6) ------------------------------------------------


class StepConflict(Exception):
    """Someone else saved the step since the form was opened; ``saved`` is their version."""

    def __init__(self, saved: DeterminationStep):
        super().__init__(
            f"{saved.get_slug_display()} was saved by {saved.saved_by} since you opened it."
        )
        self.saved = saved


class NotReadyToSign(Exception):
    """A step is incomplete or a validity rule fails; ``review`` says which."""

    def __init__(self, review: Review):
        super().__init__("The determination cannot be signed yet.")
        self.review = review


# At MMI the case is next looked at when the certification becomes final unless disputed
# (Texas: 90 days after notice, docs/domain.md §2); where the law sets no window, after this long.
REVIEW_AFTER_MMI = timedelta(days=90)

# Everything an amendment starts from: the signed version's content, not its identity, its
# signature or its lifecycle. Derived from the model so a new field is never left behind.
_NOT_AMENDED = {
    "id",
    "case",
    "version",
    "supersedes",
    "certifying_clinician",
    "started_at",
    "signed_at",
    "dispute_deadline",
    *Determination.LIFECYCLE_FIELDS,
}
AMENDMENT_COPIES = tuple(
    field.name
    for field in Determination._meta.concrete_fields
    if field.name not in _NOT_AMENDED
)


def _lock_determination(determination: Determination) -> Determination:
    return (
        Determination.objects.select_for_update()
        .select_related("certifying_clinician")
        .get(pk=determination.pk)
    )


def _require_draft(determination: Determination) -> None:
    if not determination.is_draft:
        raise DeterminationLocked(
            f"MMI determination v{determination.version} is "
            f"{determination.get_status_display().lower()} and can no longer be changed: "
            "amend it to make a new version."
        )


def _require_in_force(determination: Determination, action: str) -> None:
    if not determination.is_in_force:
        raise InvalidTransition(
            f"MMI determination v{determination.version} is "
            f"{determination.get_status_display().lower()}: only the signed certification "
            f"in force can be {action}."
        )


def _require_care_team_clinician(case: Case, user: User) -> None:
    if user.role != Role.CLINICIAN or not case.care_team.filter(pk=user.pk).exists():
        raise PermissionDenied("Only a clinician on the case's care team drafts a determination.")


def _next_version(case: Case) -> int:
    return (case.determinations.aggregate(Max("version"))["version__max"] or 0) + 1


def _open_draft(case: Case) -> Determination | None:
    return case.determinations.drafts().first()


@transaction.atomic
def determination_start(*, case: Case, started_by: User) -> Determination:
    """Start a draft MMI determination, certified by whoever starts it unless step 5 names
    another doctor. One open draft per case; a case with a certification in force is
    amended or re-opened instead. The case moves into MMI review."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_care_team_clinician(case, started_by)
    draft = _open_draft(case)
    if draft is not None:
        raise InvalidTransition(
            f"This case already has a draft determination (v{draft.version}): continue it."
        )
    in_force = case.determinations.signed().first()
    if in_force is not None:
        raise InvalidTransition(
            f"This case has a signed certification (v{in_force.version}): amend it, or "
            "re-open MMI, instead of starting a new determination."
        )
    if case.status == CaseStatus.CLOSED:
        raise InvalidTransition("A closed case cannot get a new MMI determination.")
    determination = Determination.objects.create(
        case=case,
        version=_next_version(case),
        certifying_clinician=started_by,
        jurisdiction=case.jurisdiction,
    )
    if case.status in {CaseStatus.OPEN, CaseStatus.IN_TREATMENT, CaseStatus.REOPENED}:
        _case_set_status(
            case,
            CaseStatus.MMI_REVIEW,
            allowed_from={CaseStatus.OPEN, CaseStatus.IN_TREATMENT, CaseStatus.REOPENED},
        )
    return determination


@transaction.atomic
def determination_save_step(
    *,
    determination: Determination,
    slug: str,
    columns: dict,
    answers: dict,
    expected_revision: int,
    saved_by: User,
    impairment_items: Sequence[impairment.ImpairmentItem] | None = None,
) -> DeterminationStep:
    """Save one step of a draft: its Determination columns and its narrative answers.

    ``expected_revision`` is the step's revision when the form was opened (0: never
    saved). If someone saved the step since, nothing is written and StepConflict carries
    their version. Raises DeterminationLocked once the determination is signed.

    ``impairment_items`` (the outcome step) replace the draft's items; when there are any,
    the whole person rating is the one computed from them, whatever ``columns`` says.
    """
    step = STEPS_BY_SLUG[slug]
    unknown = set(columns) - {*step.columns, "jurisdiction", "statutory_mmi_date"}
    if unknown:
        raise ValueError(f"Step {slug} does not write {sorted(unknown)}.")
    # Locking the determination serialises every save of its steps.
    locked = _lock_determination(determination)
    _require_draft(locked)
    saved = (
        DeterminationStep.objects.select_related("saved_by")
        .filter(determination=locked, slug=slug)
        .first()
    )
    if saved is not None and saved.revision != expected_revision:
        raise StepConflict(saved)
    if impairment_items:
        columns = {
            **columns,
            "impairment_rating": impairment.rate_whole_person(impairment_items).result,
        }
    for name, value in columns.items():
        setattr(locked, name, value)
    _step_check(locked, step.columns, impairment_items)
    if impairment_items is not None:
        _impairment_items_replace(locked, impairment_items)
    if columns:
        locked.full_clean(validate_constraints=False)
        locked.save(update_fields=[*columns, "updated_at"])
        for name in columns:
            setattr(determination, name, getattr(locked, name))
    if saved is None:
        saved = DeterminationStep(determination=locked, slug=slug, revision=0)
    saved.answers = answers
    saved.revision += 1
    saved.saved_by = saved_by
    saved.save()
    return saved


def _step_check(
    determination: Determination,
    fields: Sequence[str],
    items: Sequence[impairment.ImpairmentItem] | None,
) -> None:
    """Refuse a step whose own fields break a validity rule, with the checklist's reasons
    by field (the rest of the checklist is judged at signing)."""
    if not any(field in RULE_FIELDS.values() for field in fields):
        return
    case = load_case_records(Case.objects.get(pk=determination.case_id))
    facts = certification_facts(determination, saved_steps(determination), case, items=items)
    errors = field_errors(facts, fields)
    if errors:
        raise ValidationError(errors)


def _impairment_items_replace(
    determination: Determination, items: Sequence[impairment.ImpairmentItem]
) -> None:
    """Replace a draft's impairment items (their whole person rating, docs/domain.md §3, is
    saved by the caller)."""
    saved = determination.impairment_items.all()
    if [item.as_rated() for item in saved] != list(items):
        saved.delete()
        for position, item in enumerate(items):
            ImpairmentItem.objects.create(
                determination=determination,
                position=position,
                region=item.region,
                level=item.level,
                value=item.value,
                method=item.method,
                mode=item.mode,
            )


@transaction.atomic
def determination_sign(*, determination: Determination, signed_by: User) -> Determination:
    """Sign a complete, valid draft: only its certifying clinician may (the view checks
    their password first). The signed version supersedes the one it amends; the case
    moves to "at MMI", or stays in treatment until the expected MMI date."""
    locked = _lock_determination(determination)
    _require_draft(locked)
    if signed_by.pk != locked.certifying_clinician_id:
        raise PermissionDenied(
            f"Only the certifying clinician, {locked.certifying_clinician}, may sign."
        )
    case = load_case_records(Case.objects.select_for_update().get(pk=locked.case_id))
    checked = review(locked, saved_steps(locked), case)
    if not checked.may_sign:
        raise NotReadyToSign(checked)
    if locked.supersedes_id is not None:
        previous = _lock_determination(locked.supersedes)
        if previous.is_in_force:
            previous.status = Determination.Status.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
    today = timezone.localdate()
    # Until each party's delivery is recorded, the window is counted from the signing.
    window = for_code(case.jurisdiction).dispute_deadline(today)
    locked.status = Determination.Status.SIGNED
    locked.signed_at = timezone.now()
    locked.statutory_mmi_date = checked.statutory_mmi_date
    locked.dispute_deadline = window.last_day if window else None
    locked.save(
        update_fields=[
            "status",
            "signed_at",
            "statutory_mmi_date",
            "dispute_deadline",
            "updated_at",
        ]
    )

    if locked.mmi_reached:
        case.mmi_date = locked.mmi_date
        status = CaseStatus.AT_MMI
        case.next_review_date = window.last_day if window else today + REVIEW_AFTER_MMI
    else:
        case.mmi_date = None
        status = CaseStatus.IN_TREATMENT
        case.next_review_date = locked.expected_mmi_date
    if not case.disputes.filter(outcome=Dispute.Outcome.PENDING).exists():
        case.status = status
    case.save(update_fields=["status", "mmi_date", "next_review_date", "updated_at"])
    # Rendered once, now: every later download returns these bytes (cases/reports).
    determination_reports_issue(determination=locked, issued_by=signed_by)
    return locked


@transaction.atomic
def determination_amend(*, determination: Determination, amended_by: User) -> Determination:
    """Start an amendment of the certification in force: a new draft version that copies
    it, steps and all, and supersedes it once signed. The old version is untouched."""
    original = _lock_determination(determination)
    case = Case.objects.select_for_update().get(pk=original.case_id)
    _require_care_team_clinician(case, amended_by)
    _require_in_force(original, "amended")
    draft = _open_draft(case)
    if draft is not None:
        raise InvalidTransition(
            f"Version {draft.version} of this determination is already being drafted: continue it."
        )
    amendment = Determination.objects.create(
        case=case,
        version=_next_version(case),
        supersedes=original,
        certifying_clinician=amended_by,
        **{name: getattr(original, name) for name in AMENDMENT_COPIES},
    )
    for step in original.steps.all():
        DeterminationStep.objects.create(
            determination=amendment, slug=step.slug, answers=step.answers, saved_by=amended_by
        )
    _impairment_items_replace(
        amendment, [item.as_rated() for item in original.impairment_items.all()]
    )
    return amendment


@transaction.atomic
def determination_rescind(
    *, determination: Determination, rescinded_by: User, category: str, reason: str
) -> Determination:
    """Re-open MMI (docs/domain.md §6): the certification in force is marked rescinded, with why,
    and kept; the case goes back into treatment."""
    if category not in Determination.RescindReason.values:
        raise ValueError(f"{category!r} is not a reason for re-opening MMI.")
    locked = _lock_determination(determination)
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    _require_care_team_clinician(case, rescinded_by)
    _require_in_force(locked, "rescinded")
    draft = _open_draft(case)
    if draft is not None:
        raise InvalidTransition(
            f"Version {draft.version} is being drafted for this case: sign it, or re-open "
            "MMI once it is signed."
        )
    locked.status = Determination.Status.RESCINDED
    locked.rescinded_at = timezone.now()
    locked.rescinded_by = rescinded_by
    locked.rescind_category = category
    locked.rescind_reason = reason
    locked.save(
        update_fields=[
            "status",
            "rescinded_at",
            "rescinded_by",
            "rescind_category",
            "rescind_reason",
            "updated_at",
        ]
    )
    case.status = CaseStatus.IN_TREATMENT
    case.mmi_date = None
    case.save(update_fields=["status", "mmi_date", "updated_at"])
    return locked


@transaction.atomic
def dispute_record(
    *,
    determination: Determination,
    recorded_by: User,
    disputed_by: str,
    notice_date: date,
    received_on: date,
    review_requested: str,
    notes: str = "",
) -> Dispute:
    """Record a dispute of the certification in force by one party.

    The party's deadline comes from the jurisdiction, counted from the day that party
    received the certification (Texas: 90 days, §408.123(e), 28 TAC 130.12(b)). A dispute
    received in time makes the case disputed; one received after the deadline is recorded
    as late: the certification is final for that party and the case stays as it is."""
    locked = _lock_determination(determination)
    _require_in_force(locked, "disputed")
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    _dispute_dates_check(locked, notice_date=notice_date, received_on=received_on)
    window = for_code(case.jurisdiction).dispute_deadline(notice_date)
    late = window is not None and received_on > window.last_day
    dispute = Dispute(
        case=case,
        determination=locked,
        disputed_by=disputed_by,
        notice_date=notice_date,
        received_on=received_on,
        deadline=window.last_day if window else None,
        deadline_next_working_day=window.next_working_day if window else None,
        review_requested=review_requested,
        outcome=Dispute.Outcome.LATE if late else Dispute.Outcome.PENDING,
        outcome_date=received_on if late else None,
        notes=notes,
        recorded_by=recorded_by,
    )
    dispute.full_clean()
    dispute.save()
    if not late:
        case.status = CaseStatus.DISPUTED
        case.save(update_fields=["status", "updated_at"])
    return dispute


def _dispute_dates_check(
    determination: Determination, *, notice_date: date, received_on: date
) -> None:
    today = timezone.localdate()
    signed = timezone.localdate(determination.signed_at)
    errors: dict[str, str] = {}
    if notice_date > today:
        errors["notice_date"] = "The notice date cannot be in the future."
    elif notice_date < signed:
        errors["notice_date"] = (
            f"Notice cannot come before the certification was signed ({day_label(signed)})."
        )
    if received_on > today:
        errors["received_on"] = "The day the dispute was received cannot be in the future."
    elif received_on < notice_date:
        errors["received_on"] = (
            "A dispute cannot be received before the party received the certification "
            f"({day_label(notice_date)})."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dispute_resolve(*, dispute: Dispute, outcome: str, outcome_date: date, notes: str) -> Dispute:
    """Record the outcome of a dispute's review. Once no dispute is pending, the case
    returns to what its certification in force says, or to MMI review if it was overturned."""
    if outcome == Dispute.Outcome.PENDING or outcome not in Dispute.Outcome.values:
        raise ValueError(f"{outcome!r} is not the outcome of a review.")
    locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if locked.outcome != Dispute.Outcome.PENDING:
        raise InvalidTransition("This dispute is already resolved.")
    locked.outcome = outcome
    locked.outcome_date = outcome_date
    locked.notes = notes
    locked.full_clean()
    locked.save()
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    pending = case.disputes.filter(outcome=Dispute.Outcome.PENDING).exists()
    if case.status == CaseStatus.DISPUTED and not pending:
        in_force = case.determinations.signed().first()
        if outcome == Dispute.Outcome.OVERTURNED:
            case.status = CaseStatus.MMI_REVIEW
        elif in_force is not None and in_force.mmi_reached:
            case.status = CaseStatus.AT_MMI
        else:
            case.status = CaseStatus.IN_TREATMENT
        case.save(update_fields=["status", "updated_at"])
    return locked
