"""Time from injury to MMI across the cases a user may see, by body part and by diagnosis
group (the ICD-10 category: the primary code's first three characters)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Max, Min, QuerySet, Value

from ..access import cases_visible_to, summary_scope
from ..models import Case, TimeToMmiSpread, User
from ..models.cases import DIAGNOSIS_GROUP, BodyPart
from ..reports.spread import Spread, spreads_by_group
from .diagnoses import describe

NO_DIAGNOSIS = "No diagnosis code"


@dataclass(frozen=True)
class TimeToMMI:
    by_body_part: list[Spread]
    by_diagnosis: list[Spread]
    cases: int


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont: linear interpolation, like cases/reports/spread.py."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float) -> None:
        super().__init__(expression, fraction=fraction, output_field=DurationField())


def _body_part_label(key: str) -> str:
    return dict(BodyPart.choices).get(key, key)


def _diagnosis_label(key: str) -> str:
    """The group named with its category: "S43 — Dislocation and sprain of joints…"."""
    if not key:
        return NO_DIAGNOSIS
    description = describe(key)
    return f"{key} — {description}" if description else key


def _ordered(spreads: list[Spread]) -> list[Spread]:
    return sorted(spreads, key=lambda item: (item.median, item.label))


def _spreads(cases: QuerySet[Case], group, label) -> list[Spread]:
    """One spread per group of ``cases`` (all at MMI). PostgreSQL groups and works out the
    quartiles (percentile_cont) in one query; SQLite, which has no percentile_cont, reads
    each case's group and days and cases/reports/spread.py does the rest."""
    days = F("mmi_date") - F("date_of_injury")
    grouped = cases.annotate(group=group).values("group").order_by()
    if connection.vendor != "postgresql":
        return spreads_by_group(
            (label(key), (mmi - injured).days)
            for key, injured, mmi in grouped.values_list("group", "date_of_injury", "mmi_date")
            if mmi is not None
        )
    rows = grouped.annotate(
        count=Count("pk"),
        minimum=Min(days),
        lower=Percentile(days, 0.25),
        median=Percentile(days, 0.5),
        upper=Percentile(days, 0.75),
        maximum=Max(days),
    )
    return _ordered(
        [
            Spread(
                label=label(row["group"]),
                count=row["count"],
                minimum=row["minimum"].days,
                lower_quartile=row["lower"].total_seconds() / 86400,
                median=row["median"].total_seconds() / 86400,
                upper_quartile=row["upper"].total_seconds() / 86400,
                maximum=row["maximum"].days,
            )
            for row in rows
            # A group by a constant over no case still answers one row, of no cases.
            if row["count"]
        ]
    )


def group_spread(cases: QuerySet[Case], label: str) -> Spread | None:
    """The spread over ``cases`` (all at MMI) as one group, or None if there are none."""
    found = _spreads(cases, Value(label), str)
    return found[0] if found else None


def time_to_mmi_of(cases: QuerySet[Case]) -> TimeToMMI:
    """Median and spread of days from injury to MMI (Case.mmi_date, from the signed
    determination) over these cases, read from the cases themselves: two queries whose
    work grows with the cases at MMI among them."""
    at_mmi = cases.filter(mmi_date__isnull=False).order_by()
    by_part = _spreads(at_mmi, F("body_part"), _body_part_label)
    return TimeToMMI(
        by_body_part=by_part,
        by_diagnosis=_spreads(at_mmi, DIAGNOSIS_GROUP, _diagnosis_label),
        cases=sum(item.count for item in by_part),
    )


def time_to_mmi(user: User, *, cases: QuerySet[Case] | None = None) -> TimeToMMI:
    """Time to MMI over the cases the user may see, or over ``cases``, some of them picked
    by the page's filters. Administrators and adjusters see every case or a whole
    insurer's: theirs, unfiltered, is read from the spreads kept at each change
    (cases/services/summaries.py), one query whatever the number of cases. Case managers'
    own cases, and any filtered few, are worked out as the page is asked for (two queries)."""
    if cases is not None:
        return time_to_mmi_of(cases)
    scope = summary_scope(user)
    if scope is None:
        return time_to_mmi_of(cases_visible_to(user))
    rows = TimeToMmiSpread.objects.filter(insurer_id=scope.insurer_id)
    spreads: dict[str, list[Spread]] = {dimension: [] for dimension in TimeToMmiSpread.Dimension}
    labels: dict[str, Callable[[str], str]] = {
        TimeToMmiSpread.Dimension.BODY_PART: _body_part_label,
        TimeToMmiSpread.Dimension.DIAGNOSIS: _diagnosis_label,
    }
    for row in rows:
        spreads[row.dimension].append(
            Spread(
                label=labels[row.dimension](row.group),
                count=row.cases,
                minimum=row.minimum,
                lower_quartile=row.lower_quartile,
                median=row.median,
                upper_quartile=row.upper_quartile,
                maximum=row.maximum,
            )
        )
    by_part = _ordered(spreads[TimeToMmiSpread.Dimension.BODY_PART])
    return TimeToMMI(
        by_body_part=by_part,
        by_diagnosis=_ordered(spreads[TimeToMmiSpread.Dimension.DIAGNOSIS]),
        cases=sum(item.count for item in by_part),
    )
