"""Writes to the diaries: a task made by hand, a task marked done, and the rules applied to
cases (diaries/rules/), which open, keep and close their own tasks. Each change to a task
appends a ``TaskEvent`` in the same transaction."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.access import Capability, has_capability, users_who_see
from cases.models import Case, User
from cases.templatetags.dates import day

from . import signals
from .models import Task, TaskEvent
from .rules import RULES, Finding, Rule

# How many subjects one statement looks up at a time.
_BATCH = 500


@transaction.atomic
def task_create(
    *,
    case: Case,
    created_by: User,
    title: str,
    due_on: date,
    assignee: User,
    text: str = "",
) -> Task:
    """A task made by hand on a case the maker may see and work. Refused: a due date in the
    past, an assignee who may not see the case or keeps no diary."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if due_on < today:
        errors["due_on"] = (
            f"A task cannot be due in the past: choose today ({day(today)}) or a later day."
        )
    if not title.strip():
        errors["title"] = "Say what is to be done."
    if not (
        has_capability(assignee, Capability.KEEP_DIARY)
        and users_who_see(case).filter(pk=assignee.pk).exists()
    ):
        errors["assignee"] = "Assign the task to someone who may see this case."
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        case=case,
        title=title.strip(),
        text=text.strip(),
        due_on=due_on,
        assignee=assignee,
        created_by=created_by,
    )
    TaskEvent.objects.create(
        task=task, kind=TaskEvent.Kind.OPENED, by=created_by, assignee=assignee, due_on=due_on
    )
    if assignee.pk != created_by.pk:
        signals.send_task_assigned(task=task, by=created_by)
    return task


@transaction.atomic
def task_mark_done(*, task: Task, by: User) -> Task:
    """Mark a task done (by hand). A task already done stays as it was."""
    if not has_capability(by, Capability.KEEP_DIARY):
        raise PermissionDenied("Your role keeps no diary.")
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.is_done:
        return locked
    locked.done_at = timezone.now()
    locked.done_by = by
    locked.done_note = ""
    locked.save(update_fields=["done_at", "done_by", "done_note"])
    TaskEvent.objects.create(
        task=locked,
        kind=TaskEvent.Kind.DONE,
        by=by,
        at=locked.done_at,
        assignee_id=locked.assignee_id,
        due_on=locked.due_on,
    )
    return locked


def diary_rules_apply(*, today: date, cases: QuerySet[Case] | None = None) -> dict[str, int]:
    """Apply every rule to ``cases`` (every case when None): open a task for what each finds
    anew, keep the due date of the open ones in step, and close the open ones whose condition
    has ended. Idempotent; each rule in a transaction of its own. Returns how many tasks were
    opened and closed."""
    scope = cases if cases is not None else Case.objects.all()
    totals = {"opened": 0, "closed": 0}
    for rule in RULES:
        opened, closed = _rule_apply(rule, scope, today)
        totals["opened"] += opened
        totals["closed"] += closed
    return totals


def diary_rules_apply_to_case(*, case_id: int, today: date) -> dict[str, int]:
    """The rules applied to one case, after something changed on it."""
    return diary_rules_apply(today=today, cases=Case.objects.filter(pk=case_id))


@transaction.atomic
def _rule_apply(rule: Rule, cases: QuerySet[Case], today: date) -> tuple[int, int]:
    now = timezone.now()
    findings = {finding.subject: finding for finding in rule.findings(cases, today)}
    existing = {
        task.subject: task
        for subjects in _batches(findings)
        for task in Task.objects.select_for_update().filter(rule=rule.key, subject__in=subjects)
    }
    events: list[TaskEvent] = []
    new = [finding for subject, finding in findings.items() if subject not in existing]
    _open(rule, new, now)
    for subject, task in existing.items():
        finding = findings[subject]
        if task.closed_by_rule:
            task.done_at = task.done_by = None
            task.done_note = ""
            task.due_on, task.text = finding.due_on, finding.text
            task.save(update_fields=["done_at", "done_by", "done_note", "due_on", "text"])
            events.append(_event(task, TaskEvent.Kind.REOPENED_BY_RULE, now))
        elif not task.is_done and (task.due_on, task.text) != (finding.due_on, finding.text):
            # The text follows what the rule finds (the parties still waiting for a copy);
            # a new due date is an event of the task's history.
            moved = task.due_on != finding.due_on
            task.due_on, task.text = finding.due_on, finding.text
            task.save(update_fields=["due_on", "text"])
            if moved:
                events.append(_event(task, TaskEvent.Kind.DUE_CHANGED, now))
    ended = [
        task
        for task in Task.objects.select_for_update().open().filter(rule=rule.key, case__in=cases)
        if task.subject not in findings
    ]
    for task in ended:
        task.done_at = now
        task.done_note = rule.ended
        events.append(_event(task, TaskEvent.Kind.CLOSED_BY_RULE, now, note=rule.ended))
    Task.objects.bulk_update(ended, ["done_at", "done_note"], batch_size=_BATCH)
    TaskEvent.objects.bulk_create(events, batch_size=_BATCH)
    return len(new), len(ended)


def _open(rule: Rule, findings: list[Finding], now) -> None:
    """Open the tasks of these findings. A task another run opened meanwhile is left to it
    (the unique rule and subject): events are written only for the tasks that have none."""
    Task.objects.bulk_create(
        [
            Task(
                case_id=finding.case_id,
                title=finding.title,
                text=finding.text,
                due_on=finding.due_on,
                assignee_id=finding.assignee_id,
                rule=rule.key,
                subject=finding.subject,
                created_at=now,
            )
            for finding in findings
        ],
        batch_size=_BATCH,
        ignore_conflicts=True,
    )
    for subjects in _batches(finding.subject for finding in findings):
        fresh = Task.objects.filter(rule=rule.key, subject__in=subjects, events__isnull=True)
        TaskEvent.objects.bulk_create(
            [_event(task, TaskEvent.Kind.OPENED, now) for task in fresh], batch_size=_BATCH
        )


def _event(task: Task, kind: str, now, note: str = "") -> TaskEvent:
    return TaskEvent(
        task=task, kind=kind, at=now, assignee_id=task.assignee_id, due_on=task.due_on, note=note
    )


def _batches(subjects: Iterable[str]) -> Iterable[list[str]]:
    batch: list[str] = []
    for subject in subjects:
        batch.append(subject)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
