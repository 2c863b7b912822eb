"""The case events (cases/events.py) and the diaries' ``task_assigned``, told to whom they
concern (notifications/recipients.py) through ``notify``. Each receiver runs after the
change has committed; ``notify`` stores the notifications in a transaction of its own."""

from itertools import groupby
from typing import Any

from django.db import transaction

from cases import events
from cases.models import Determination, Dispute
from cases.templatetags.dates import day
from diaries.models import Task
from diaries.signals import task_assigned

from . import recipients
from .services import notify


def _certification_label(determination: Determination) -> str:
    return f"version {determination.version} of the MMI certification"


def on_signed(sender: type, *, determination: Determination, **kwargs: Any) -> None:
    case = determination.case
    signer = determination.certifying_clinician
    with transaction.atomic():
        notify(
            recipients=recipients.case_parties(case),
            kind="certification_signed",
            case=case,
            text=f"{signer} signed {_certification_label(determination)} on claim "
            f"{case.claim_number} on {day(determination.signed_at)}.",
            link=determination.get_absolute_url(),
            actor=signer,
        )


def _tell_receivers(
    *, earlier: Determination, current: Determination, kind: str, verb: str, actor: Any
) -> None:
    """Tell each who received ``earlier`` plainly that the version they hold has changed,
    naming the day they received it (in the email too: a date is no health data)."""
    case = earlier.case
    receipts = sorted(recipients.receipts_of(earlier), key=lambda receipt: receipt.on)
    with transaction.atomic():
        for received_on, group in groupby(receipts, key=lambda receipt: receipt.on):
            sentence = f"The certification you received on {day(received_on)} has been {verb}"
            notify(
                recipients=[receipt.user for receipt in group],
                kind=kind,
                case=case,
                text=f"{sentence}: {_certification_label(earlier)} on claim {case.claim_number}.",
                email_text=f"{sentence}.",
                link=current.get_absolute_url(),
                actor=actor,
            )


def on_amended(
    sender: type, *, determination: Determination, superseded: Determination, **kwargs: Any
) -> None:
    _tell_receivers(
        earlier=superseded,
        current=determination,
        kind="certification_amended",
        verb=f"amended (replaced by version {determination.version})",
        actor=determination.certifying_clinician,
    )


def on_rescinded(sender: type, *, determination: Determination, by: Any, **kwargs: Any) -> None:
    _tell_receivers(
        earlier=determination,
        current=determination,
        kind="certification_rescinded",
        verb="rescinded",
        actor=by,
    )


def on_dispute(sender: type, *, dispute: Dispute, **kwargs: Any) -> None:
    case = dispute.case
    with transaction.atomic():
        notify(
            recipients=recipients.dispute_parties(dispute),
            kind="dispute_recorded",
            case=case,
            text=f"{dispute.recorded_by} recorded a dispute by the "
            f"{dispute.get_disputed_by_display().lower()} of "
            f"{_certification_label(dispute.determination)} on claim {case.claim_number}.",
            link=dispute.determination.get_absolute_url(),
            actor=dispute.recorded_by,
        )


def on_record(sender: type, *, case: Any, record: Any, by: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        notify(
            recipients=recipients.record_parties(case),
            kind="record_added",
            case=case,
            text=f"{by} added a record to claim {case.claim_number}: {record._meta.verbose_name}.",
            link=case.get_absolute_url(),
            actor=by,
        )


def on_task(sender: type, *, task: Task, by: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        notify(
            recipients=[task.assignee],
            kind="task_assigned",
            case=task.case,
            text=f"{by} assigned you a task on claim {task.case.claim_number}: {task.title} "
            f"(due {day(task.due_on)}).",
            link=task.get_absolute_url(),
            actor=by,
        )


def connect() -> None:
    """Called once, from the app's ``ready()``."""
    for signal, receiver in (
        (events.certification_signed, on_signed),
        (events.certification_amended, on_amended),
        (events.certification_rescinded, on_rescinded),
        (events.dispute_recorded, on_dispute),
        (events.record_added, on_record),
        (task_assigned, on_task),
    ):
        signal.connect(receiver, dispatch_uid=f"notifications-{receiver.__name__}")
