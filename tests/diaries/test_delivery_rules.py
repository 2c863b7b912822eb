"""The rules on copies and windows (diaries/rules/deliveries.py) open their tasks by
themselves and close them as deliveries and disputes are recorded."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from cases import services as case_services
from deliveries import services as delivery_services
from deliveries.models import Recipient
from diaries.models import Task
from diaries.rules.deliveries import CopiesUndelivered, WindowClosing
from diaries.tasks import apply_diary_rules
from tests.support.reports import determination

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def noon(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(today() - timedelta(days=days_ago), time(12)))


def signed_days_ago(cast, days: int):
    with time_machine.travel(noon(days), tick=False):
        certification = determination(cast.case, cast.clinician)
        recipients = delivery_services.certification_recipients_list(determination=certification)
    return certification, {recipient.party: recipient for recipient in recipients}


def deliver(recipient: Recipient, by, days_ago: int = 0):
    with time_machine.travel(noon(days_ago), tick=False):
        return delivery_services.delivery_record(
            recipient=recipient,
            method="mail",
            delivered_on=timezone.localdate(),
            recorded_by=by,
            address="PO Box 1, Austin TX",
        )


def rule_tasks(cast, rule: str) -> list[Task]:
    return list(Task.objects.filter(case=cast.case, rule=rule).order_by("pk"))


def test_undelivered_copies_are_chased_two_days_after_signing_until_all_are_delivered(
    cast, django_capture_on_commit_callbacks
):
    certification, recipients = signed_days_ago(cast, 3)
    with time_machine.travel(noon(2), tick=False):  # the day after signing: not yet
        apply_diary_rules.delay()
    assert rule_tasks(cast, CopiesUndelivered.key) == []
    apply_diary_rules.delay()
    (task,) = rule_tasks(cast, CopiesUndelivered.key)
    assert task.subject == f"certification:{certification.pk}:undelivered"
    assert task.due_on == today() - timedelta(days=1)
    assert task.assignee == cast.case_manager
    labels = dict(Recipient.PartyChoice.choices)
    for party in recipients:
        assert labels[party] in task.text

    *first, last = recipients.values()
    with django_capture_on_commit_callbacks(execute=True):
        for recipient in first:
            deliver(recipient, cast.case_manager)
    task.refresh_from_db()
    assert not task.is_done and labels[last.party] in task.text
    assert all(labels[recipient.party] not in task.text for recipient in first)

    with django_capture_on_commit_callbacks(execute=True):
        deliver(last, cast.case_manager)
    task.refresh_from_db()
    assert task.closed_by_rule
    assert task.done_note == CopiesUndelivered.ended


def test_the_carriers_window_closing_in_14_days_goes_to_the_adjuster_until_disputed(
    cast, django_capture_on_commit_callbacks
):
    certification, recipients = signed_days_ago(cast, 85)
    deliver(recipients["carrier"], cast.case_manager, days_ago=80)  # closes in 10 days
    deliver(recipients["employee"], cast.case_manager, days_ago=70)  # closes in 20 days
    apply_diary_rules.delay()
    (task,) = rule_tasks(cast, WindowClosing.key)
    assert task.subject == f"recipient:{recipients['carrier'].pk}:window"
    assert task.due_on == today() + timedelta(days=10)
    assert task.assignee == cast.adjuster
    assert "Insurance carrier" in task.title

    with django_capture_on_commit_callbacks(execute=True):
        case_services.dispute_record(
            determination=certification,
            recorded_by=cast.case_manager,
            disputed_by="carrier",
            disputed_issue="both",
            notice_date=today() - timedelta(days=80),
            received_on=today(),
            review_requested="ime",
        )
    task.refresh_from_db()
    assert task.closed_by_rule


def test_the_employees_window_goes_to_the_case_manager_and_closes_when_it_passes(cast):
    _, recipients = signed_days_ago(cast, 85)
    deliver(recipients["employee"], cast.case_manager, days_ago=80)
    apply_diary_rules.delay()
    (task,) = rule_tasks(cast, WindowClosing.key)
    assert task.assignee == cast.case_manager
    with time_machine.travel(noon(-11), tick=False):  # the day after its last day
        apply_diary_rules.delay()
    task.refresh_from_db()
    assert task.closed_by_rule


def test_the_window_task_opens_14_days_before_the_last_day():
    due = WindowClosing.judge(today())
    assert due.opens_on == today() - timedelta(days=14)
    assert CopiesUndelivered.judge(today()).due_on == today() + timedelta(days=2)
