"""The case page's tasks section ({% include "diaries/case_tasks.html" %} in
templates/cases/case_detail.html reads them here): the case's tasks, and whether the user
may add one and mark one done. One query whatever the number of tasks."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from cases.access import Capability, has_capability
from cases.models import Case

from ..models import Task
from ..selectors import case_tasks

register = template.Library()

# The tasks the case page lists; those to do come first.
TASKS_SHOWN = 30


@dataclass(frozen=True)
class CaseDiary:
    tasks: list[Task]
    may_keep: bool

    @property
    def today(self):
        return timezone.localdate()


@register.simple_tag(takes_context=True)
def case_diary(context: template.Context, case: Case) -> CaseDiary:
    return CaseDiary(
        tasks=list(case_tasks(case)[:TASKS_SHOWN]),
        may_keep=has_capability(context["request"].user, Capability.KEEP_DIARY),
    )
