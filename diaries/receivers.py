"""The rules applied again to a case as soon as something they read changes on it, so that
a task opens and closes itself promptly rather than at the next daily run (diaries/tasks.py).

The case events (cases/events.py) are sent after commit: a certification signed, amended or
rescinded, a dispute recorded, a record added. What the rules also read without an event of
its own (a draft's exam date, a work status issued, a case's review date or status, a copy
listed, delivered or withdrawn) is watched by ``post_save``/``post_delete``, acted on once
the change commits. A receiver only asks for the case to be judged again on the task queue;
the rules themselves are diaries/rules/. Several changes to a case judge it several times,
harmlessly: applying the rules is idempotent.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from cases import events
from cases.models import Case, Determination, WorkStatus
from deliveries.models import Delivery, DeliveryWithdrawal, Recipient


def _judge_case(case_id: int) -> None:
    from .tasks import apply_diary_rules_to_case

    apply_diary_rules_to_case.delay(case_id=case_id)


def _on_event(sender: type, **kwargs: Any) -> None:
    case = kwargs.get("case")
    if case is not None:
        _judge_case(case.pk)
        return
    record = kwargs.get("determination") or kwargs["dispute"]
    _judge_case(record.case_id)


def _on_change(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return  # loading fixtures
    if isinstance(instance, Case):
        case_id = instance.pk
    elif isinstance(instance, DeliveryWithdrawal):
        case_id = Delivery.objects.values_list("case_id", flat=True).get(pk=instance.delivery_id)
    else:
        case_id = instance.case_id
    transaction.on_commit(lambda: _judge_case(case_id), robust=True)


def connect() -> None:
    """Called once, from the app's ``ready()``."""
    for signal in (
        events.certification_signed,
        events.certification_amended,
        events.certification_rescinded,
        events.dispute_recorded,
        events.record_added,
    ):
        signal.connect(_on_event, dispatch_uid=f"diaries-{id(signal)}")
    for model in (Case, Determination, WorkStatus, Recipient, Delivery, DeliveryWithdrawal):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"diaries-saved-{model.__name__}")
    for model in (Determination, WorkStatus):
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"diaries-deleted-{model.__name__}"
        )
