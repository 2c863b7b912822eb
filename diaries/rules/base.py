"""What every diary rule is: a condition on a case (or on a record of it) and the task it
opens while the condition holds.

A rule has two halves. ``judge`` is the condition itself, pure code on plain values (dates,
no database), tested without one. ``findings`` is the query that finds, in bulk, the rows
the condition may hold for among a set of cases (every case at the daily run, one case
after a change to it) and hands each to ``judge``. What a rule finds is a ``Finding``; the
service (diaries/services.py) opens a task for each new one, keeps the open ones' due dates
in step, and closes the open tasks the rule no longer finds.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from cases.domain.dates import day_label

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cases.models import Case


@dataclass(frozen=True)
class Due:
    """When a rule's task appears (``opens_on``) and when what it asks is due (``due_on``)."""

    opens_on: date
    due_on: date

    def holds_on(self, today: date) -> bool:
        return today >= self.opens_on


@dataclass(frozen=True)
class Finding:
    """A rule's condition holding for one thing on one case: the task it calls for."""

    case_id: int
    subject: str
    due_on: date
    title: str
    text: str
    assignee_id: int


class Rule(ABC):
    """One diary rule. ``key`` names it in the database (never change it), ``name`` on the
    page, ``ended`` says why its task closed itself."""

    key: ClassVar[str]
    name: ClassVar[str]
    ended: ClassVar[str]

    @abstractmethod
    def findings(self, cases: QuerySet[Case], today: date) -> Iterator[Finding]:
        """The tasks this rule calls for among ``cases`` on ``today``, in a fixed number of
        queries whatever the number of cases."""


def on(day: date) -> str:
    return day_label(day)
