"""Diaries: tasks on a case, made by hand or by a rule (diaries/rules/), each with a due
date, an assignee and a done state. What happens to a task is kept in ``TaskEvent``, an
append-only log: who made it, who marked it done, when a rule closed or opened it again."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> "TaskQuerySet":
        return self.filter(done_at__isnull=True)

    def done(self) -> "TaskQuerySet":
        return self.filter(done_at__isnull=False)


class Task(models.Model):
    """Something to do on a case by a day. A rule's task names the rule (``rule``) and what
    it is about (``subject``, e.g. ``determination:12``): the pair is unique, so a rule never
    opens the same task twice, and the rule closes it itself when its condition ends."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="diary_tasks")
    title = models.CharField(max_length=200)
    text = models.TextField(blank=True, max_length=4000)
    due_on = models.DateField("due on")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="diary_tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the task by hand; empty for a rule's task.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    rule = models.CharField(
        max_length=40, blank=True, help_text="The key of the rule that made it; empty by hand."
    )
    subject = models.CharField(
        max_length=100, blank=True, help_text="What a rule's task is about, e.g. work-status:5."
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who marked it done; empty when its rule closed it.",
    )
    done_note = models.CharField(max_length=300, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject"],
                condition=~models.Q(rule=""),
                name="diary_task_one_per_rule_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(rule="", subject="", created_by__isnull=False)
                | (~models.Q(rule="") & ~models.Q(subject="")),
                name="diary_task_by_hand_or_by_rule",
            ),
            models.CheckConstraint(
                condition=models.Q(done_by__isnull=True) | models.Q(done_at__isnull=False),
                name="diary_task_done_by_when_done",
            ),
        ]
        indexes = [
            # "My tasks": a user's open tasks, soonest due first.
            models.Index(
                fields=["assignee", "due_on", "id"],
                name="diary_task_assignee_open",
                condition=models.Q(done_at__isnull=True),
            ),
            # The full list's done tasks, latest first.
            models.Index(fields=["assignee", "-done_at", "-id"], name="diary_task_assignee_done"),
            # A case's tasks on its page, and a rule's open tasks when it runs.
            models.Index(fields=["case", "due_on"], name="diary_task_case"),
            models.Index(
                fields=["rule", "case"],
                name="diary_task_rule_open",
                condition=models.Q(done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{reverse('case-detail', args=[self.case_id])}#tasks"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def by_rule(self) -> bool:
        return bool(self.rule)

    @property
    def rule_name(self) -> str:
        """The name of the rule that made it, as the pages show it; "" when made by hand."""
        from .rules import BY_KEY  # the rules read the case models, loaded after these

        rule = BY_KEY.get(self.rule)
        return rule.name if rule is not None else self.rule

    def is_overdue(self, today) -> bool:
        return self.done_at is None and self.due_on < today

    @property
    def closed_by_rule(self) -> bool:
        """Closed by its rule when its condition ended, not by a person."""
        return self.done_at is not None and self.done_by_id is None


class TaskEventQuerySet(models.QuerySet["TaskEvent"]):
    def update(self, **kwargs) -> int:
        raise TypeError("A task's history is never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("A task's history is never deleted.")


class TaskEvent(models.Model):
    """One thing that happened to a task, never changed afterwards."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Opened"
        DUE_CHANGED = "due_changed", "Due date changed"
        DONE = "done", "Marked done"
        CLOSED_BY_RULE = "closed", "Closed by its rule"
        REOPENED_BY_RULE = "reopened", "Opened again by its rule"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The person; empty when a rule acted.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    objects = TaskEventQuerySet.as_manager()

    class Meta:
        ordering = ["task", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("A task's history is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A task's history is never deleted.")
