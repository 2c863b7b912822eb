"""Keeping the summaries of cases/models/summaries.py in step with the cases, in the
transaction that changes them, so a page reading them is never behind.

Every write that can change a case's insurer, status, body part, diagnosis codes, injury
date or MMI date runs inside ``case_summarised(case_id)``: it reads what the case counted
as before and after, moves the case between status counts, and works out again the Time to
MMI groups it left or joined (over every case and over its insurer's).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, F, QuerySet

from ..models import Case, StatusCount, TimeToMmiSpread
from ..models.cases import DIAGNOSIS_GROUP
from ..reports.spread import Spread
from ..selectors.statistics import group_spread

Dimension = TimeToMmiSpread.Dimension

# pg_advisory_xact_lock key: one change at a time works out Time to MMI groups again, each
# after the one before it committed, so none writes a spread missing another's case.
_SPREAD_LOCK = 0x4D4D4902


@dataclass(frozen=True)
class _Counted:
    """What a case contributes to the summaries."""

    insurer_id: int
    status: str
    body_part: str
    diagnosis_group: str
    days_to_mmi: int | None


@dataclass(frozen=True)
class _Group:
    insurer_id: int | None  # None: over every case
    dimension: str
    group: str


def _counted(case_id: int) -> _Counted | None:
    row = (
        Case.objects.filter(pk=case_id)
        .annotate(diagnosis_group=DIAGNOSIS_GROUP)
        .values(
            "insurer_id", "status", "body_part", "diagnosis_group", "date_of_injury", "mmi_date"
        )
        .first()
    )
    if row is None:
        return None
    mmi, injured = row["mmi_date"], row["date_of_injury"]
    return _Counted(
        insurer_id=row["insurer_id"],
        status=row["status"],
        body_part=row["body_part"],
        diagnosis_group=row["diagnosis_group"] or "",
        days_to_mmi=(mmi - injured).days if mmi else None,
    )


def _groups(counted: _Counted | None) -> set[_Group]:
    if counted is None or counted.days_to_mmi is None:
        return set()
    return {
        _Group(insurer, dimension, group)
        for insurer in (None, counted.insurer_id)
        for dimension, group in (
            (Dimension.BODY_PART, counted.body_part),
            (Dimension.DIAGNOSIS, counted.diagnosis_group),
        )
    }


@contextmanager
def case_summarised(case_id: int | None) -> Iterator[None]:
    """Run a change of a case (``None``: opening one, see ``case_opened_summarise``) and
    bring the summaries in step with it. Call it inside the change's transaction."""
    before = _counted(case_id) if case_id is not None else None
    yield
    if case_id is not None:
        _summaries_update(before, _counted(case_id))


def case_opened_summarise(*, case: Case) -> None:
    _summaries_update(None, _counted(case.pk))


def _summaries_update(before: _Counted | None, after: _Counted | None) -> None:
    if before == after:
        return
    moves: dict[tuple[int, str], int] = {}
    if before is not None:
        moves[(before.insurer_id, before.status)] = -1
    if after is not None:
        key = (after.insurer_id, after.status)
        moves[key] = moves.get(key, 0) + 1
    _status_counts_move({key: change for key, change in moves.items() if change})
    _spreads_refresh(_groups(before) ^ _groups(after) | _changed_days(before, after))


def _changed_days(before: _Counted | None, after: _Counted | None) -> set[_Group]:
    """Groups the case stays in but with a different number of days."""
    if before is None or after is None or before.days_to_mmi == after.days_to_mmi:
        return set()
    return _groups(before) & _groups(after)


def _status_counts_move(moves: dict[tuple[int, str], int]) -> None:
    """Add each change to its count; in key order, so that two changes never wait on each
    other's rows in opposite orders."""
    if not moves:
        return
    StatusCount.objects.bulk_create(
        [StatusCount(insurer_id=insurer, status=status) for insurer, status in moves],
        ignore_conflicts=True,
    )
    for (insurer, status), change in sorted(moves.items()):
        StatusCount.objects.filter(insurer_id=insurer, status=status).update(
            cases=F("cases") + change
        )


def _group_cases(group: _Group) -> QuerySet[Case]:
    cases = Case.objects.filter(mmi_date__isnull=False).order_by()
    if group.insurer_id is not None:
        cases = cases.filter(insurer_id=group.insurer_id)
    if group.dimension == Dimension.BODY_PART:
        return cases.filter(body_part=group.group)
    return cases.annotate(diagnosis_group=DIAGNOSIS_GROUP).filter(diagnosis_group=group.group)


def _spreads_refresh(groups: set[_Group]) -> None:
    if not groups:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SPREAD_LOCK])
    for group in sorted(
        groups, key=lambda item: (item.insurer_id or 0, item.dimension, item.group)
    ):
        _spread_store(group, group_spread(_group_cases(group), group.group))


def _spread_store(group: _Group, found: Spread | None) -> None:
    rows = TimeToMmiSpread.objects.filter(
        insurer_id=group.insurer_id, dimension=group.dimension, group=group.group
    )
    if found is None:
        rows.delete()
        return
    figures = {
        "cases": found.count,
        "minimum": found.minimum,
        "lower_quartile": found.lower_quartile,
        "median": found.median,
        "upper_quartile": found.upper_quartile,
        "maximum": found.maximum,
    }
    if not rows.update(**figures):
        TimeToMmiSpread.objects.create(
            insurer_id=group.insurer_id, dimension=group.dimension, group=group.group, **figures
        )


@transaction.atomic
def summaries_rebuild() -> None:
    """Work every summary out again from the cases (after bulk loads, or to repair)."""
    StatusCount.objects.all().delete()
    StatusCount.objects.bulk_create(
        StatusCount(insurer_id=insurer, status=status, cases=number)
        for insurer, status, number in Case.objects.order_by()
        .values_list("insurer_id", "status")
        .annotate(number=Count("pk"))
    )
    TimeToMmiSpread.objects.all().delete()
    at_mmi = Case.objects.filter(mmi_date__isnull=False).order_by()
    groups = set()
    keys = at_mmi.annotate(diagnosis_group=DIAGNOSIS_GROUP).values_list(
        "insurer_id", "body_part", "diagnosis_group"
    )
    for insurer, body_part, diagnosis in keys.distinct():
        for scope in (None, insurer):
            groups.add(_Group(scope, Dimension.BODY_PART, body_part))
            groups.add(_Group(scope, Dimension.DIAGNOSIS, diagnosis or ""))
    _spreads_refresh(groups)
