"""Reads of the diaries, each in a fixed number of queries whatever the number of tasks or
cases. A user's tasks are only those on cases they may still see (cases/access.py)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, QuerySet

from cases.access import Capability, of_visible_cases, roles_with, users_who_see
from cases.models import Case, User

from .models import Task, TaskQuerySet

# The home page shows this many of a user's open tasks; the list page holds the rest.
ROWS_SHOWN = 10
# Totals are counted this far and no further (cases/selectors/worklists.py does the same).
COUNT_LIMIT = 1000


class TaskState:
    OPEN = "open"
    DONE = "done"
    ALL = "all"
    CHOICES = ((OPEN, "To do"), (DONE, "Done"), (ALL, "All"))


def _of_user(user: User) -> TaskQuerySet:
    return Task.objects.filter(of_visible_cases(user), assignee=user).select_related(
        "case", "case__patient", "done_by", "created_by"
    )


def tasks_of(user: User, state: str) -> QuerySet[Task]:
    """The user's tasks: still to do (overdue first, then by due date, the default), done
    (latest first), or all (those to do first)."""
    tasks = _of_user(user)
    if state == TaskState.DONE:
        return tasks.done().order_by("-done_at", "-pk")
    if state == TaskState.ALL:
        return tasks.order_by(F("done_at").desc(nulls_first=True), "due_on", "pk")
    return tasks.open().order_by("due_on", "pk")


@dataclass(frozen=True)
class MyTasks:
    """What the home page leads with: the first of the user's open tasks, the total and how
    many are overdue (each counted up to COUNT_LIMIT and one more)."""

    today: date
    rows: list[Task]
    total: int
    overdue: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)

    @staticmethod
    def label(number: int) -> str:
        return f"more than {COUNT_LIMIT}" if number > COUNT_LIMIT else str(number)

    @property
    def total_label(self) -> str:
        return self.label(self.total)

    @property
    def overdue_label(self) -> str:
        return self.label(self.overdue)


def my_tasks(user: User, today: date) -> MyTasks:
    """The user's open tasks for the home page, overdue first, then by due date: three
    queries."""
    open_tasks = tasks_of(user, TaskState.OPEN)
    return MyTasks(
        today=today,
        rows=list(open_tasks[:ROWS_SHOWN]),
        total=open_tasks[: COUNT_LIMIT + 1].count(),
        overdue=open_tasks.filter(due_on__lt=today)[: COUNT_LIMIT + 1].count(),
    )


def tasks_due_by(user: User, today: date) -> QuerySet[Task]:
    """The user's open tasks due today or overdue, for the daily digest."""
    return tasks_of(user, TaskState.OPEN).filter(due_on__lte=today)


def case_tasks(case: Case) -> QuerySet[Task]:
    """A case's tasks, those to do first (by due date), then those done (latest first)."""
    return (
        Task.objects.filter(case=case)
        .select_related("assignee", "done_by", "created_by")
        .order_by(F("done_at").desc(nulls_first=True), "due_on", "pk")
    )


def assignable_users(case: Case) -> QuerySet[User]:
    """Whom a task on this case may be given to: the users who may see it and keep a diary."""
    return (
        users_who_see(case)
        .filter(role__in=roles_with(Capability.KEEP_DIARY))
        .order_by("last_name", "first_name", "pk")
    )
