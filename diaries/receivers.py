"""The rules applied again to a case as soon as something they read changes on it, so that
a task opens and closes itself promptly rather than at the next daily run (diaries/tasks.py).

What the rules read is watched by ``post_save``/``post_delete`` (a determination drafted,
signed, amended or rescinded, a work status issued, a case's review date or status, a copy
listed, delivered or withdrawn), or, for the records without a watch of their own, by the
case events (cases/events.py: a dispute recorded, a record added). A receiver only asks for
the case to be judged again on the task queue once the change commits; the rules themselves
are diaries/rules/. The changes of one transaction judge a case once
(mmi_tracker/after_commit.py); were it judged twice, no harm: applying the rules is
idempotent.
"""

from functools import partial
from typing import Any

from django.db.models.signals import post_delete, post_save

from cases import events
from cases.models import Case, Determination, WorkStatus
from deliveries.models import Delivery, DeliveryWithdrawal, Recipient
from mmi_tracker.after_commit import on_commit_once


def _judge_case(case_id: int) -> None:
    on_commit_once(("diary-rules", case_id), partial(_judge_now, case_id))


def _judge_now(case_id: int) -> None:
    from .tasks import apply_diary_rules_to_case

    apply_diary_rules_to_case.delay(case_id=case_id)


def _on_event(sender: type, **kwargs: Any) -> None:
    _judge_case(kwargs["case"].pk if "case" in kwargs else kwargs["dispute"].case_id)


def _on_change(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return  # loading fixtures
    if isinstance(instance, Case):
        case_id = instance.pk
    elif isinstance(instance, DeliveryWithdrawal):
        case_id = Delivery.objects.values_list("case_id", flat=True).get(pk=instance.delivery_id)
    else:
        case_id = instance.case_id
    _judge_case(case_id)


def connect() -> None:
    """Called once, from the app's ``ready()``."""
    # A certification signed, amended or rescinded saves its determination, watched below.
    for signal in (events.dispute_recorded, events.record_added):
        signal.connect(_on_event, dispatch_uid=f"diaries-{id(signal)}")
    for model in (Case, Determination, WorkStatus, Recipient, Delivery, DeliveryWithdrawal):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"diaries-saved-{model.__name__}")
    for model in (Determination, WorkStatus):
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"diaries-deleted-{model.__name__}"
        )
