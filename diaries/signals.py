"""What the diaries tell the rest of the product.

``task_assigned`` is sent once a task made by one person for another is committed, with
``sender`` the Task class and the keyword arguments ``task`` and ``by`` (who made it), so
that the notifications can tell the assignee. A rule's task is not sent: nobody assigned it,
and it reaches its assignee through "My tasks" and the daily digest.
"""

from django.db import transaction
from django.dispatch import Signal

from .models import Task

task_assigned = Signal()


def send_task_assigned(*, task: Task, by: object) -> None:
    """Send ``task_assigned`` once the current transaction commits."""
    transaction.on_commit(
        lambda: task_assigned.send_robust(sender=Task, task=task, by=by), robust=True
    )
