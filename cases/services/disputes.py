"""Disputes of a signed certification and their review (docs/domain.md §2)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .. import events
from ..domain.jurisdictions import for_code
from ..models import (
    Case,
    CaseStatus,
    Determination,
    Dispute,
    User,
)
from ..templatetags.dates import day
from .cases import InvalidTransition
from .determinations import _lock_determination, _require_in_force
from .summaries import case_summarised


@transaction.atomic
def dispute_record(
    *,
    determination: Determination,
    recorded_by: User,
    disputed_by: str,
    disputed_issue: str,
    notice_date: date,
    received_on: date,
    review_requested: str,
    notes: str = "",
) -> Dispute:
    """Record a dispute of the certification in force by one party, of ``disputed_issue``
    (a ``Dispute.Issue``: the MMI date, the rating, both, or the extent of the injury).

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
        disputed_issue=disputed_issue,
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
        with case_summarised(case.pk):
            case.status = CaseStatus.DISPUTED
            case.save(update_fields=["status", "updated_at"])
    events.send_on_commit(events.dispute_recorded, Dispute, dispute=dispute)
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
            f"Notice cannot come before the certification was signed ({day(signed)})."
        )
    if received_on > today:
        errors["received_on"] = "The day the dispute was received cannot be in the future."
    elif received_on < notice_date:
        errors["received_on"] = (
            "A dispute cannot be received before the party received the certification "
            f"({day(notice_date)})."
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
        with case_summarised(case.pk):
            if outcome == Dispute.Outcome.OVERTURNED:
                case.status = CaseStatus.MMI_REVIEW
            elif in_force is not None and in_force.mmi_reached:
                case.status = CaseStatus.AT_MMI
            else:
                case.status = CaseStatus.IN_TREATMENT
            case.save(update_fields=["status", "updated_at"])
    return locked
