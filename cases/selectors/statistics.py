"""Time from injury to MMI across the cases a user may see, by body part and by diagnosis
group (the ICD-10 category: the primary code's first three characters)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, F, Max, Min, QuerySet
from django.db.models.functions import Left, Trim, Upper

from ..access import cases_visible_to
from ..domain.icd10 import normalise_icd10
from ..models import Case, User
from ..models.cases import BodyPart
from ..reports.spread import Spread, spreads_by_group

NO_DIAGNOSIS = "No diagnosis code"


@dataclass(frozen=True)
class TimeToMMI:
    by_body_part: list[Spread]
    by_diagnosis: list[Spread]
    cases: int


class _Percentile(Aggregate):
    """PostgreSQL's percentile_cont: linear interpolation, like cases/reports/spread.py."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float) -> None:
        super().__init__(expression, fraction=fraction, output_field=DurationField())


def _days(value: timedelta) -> float:
    return value.total_seconds() / 86400


def _spreads_in_database(cases: QuerySet[Case], group, labels) -> list[Spread]:
    days = F("mmi_date") - F("date_of_injury")
    rows = (
        cases.annotate(group=group)
        .values("group")
        .annotate(
            count=Count("pk"),
            minimum=Min(days),
            lower=_Percentile(days, 0.25),
            median=_Percentile(days, 0.5),
            upper=_Percentile(days, 0.75),
            maximum=Max(days),
        )
        .order_by()
    )
    spreads = [
        Spread(
            label=labels(row["group"]),
            count=row["count"],
            minimum=row["minimum"].days,
            lower_quartile=_days(row["lower"]),
            median=_days(row["median"]),
            upper_quartile=_days(row["upper"]),
            maximum=row["maximum"].days,
        )
        for row in rows
    ]
    return sorted(spreads, key=lambda item: (item.median, item.label))


def time_to_mmi(user: User) -> TimeToMMI:
    """Median and spread of days from injury to MMI (Case.mmi_date, from the signed
    determination) over the visible cases at MMI.

    On PostgreSQL the database groups and computes the quartiles (percentile_cont): two
    queries returning a row per group. SQLite has no percentile_cont, so there one query
    reads (body part, codes, injury date, MMI date) of every case at MMI and
    cases/reports/spread.py does the rest in Python; time then grows with the cases at MMI.
    """
    cases = cases_visible_to(user).filter(mmi_date__isnull=False).order_by()
    parts = dict(BodyPart.choices)
    if connection.vendor == "postgresql":
        by_part = _spreads_in_database(cases, F("body_part"), lambda key: parts.get(key, key))
        by_diagnosis = _spreads_in_database(
            cases,
            Upper(Left(Trim("diagnosis_codes"), 3)),
            lambda key: key or NO_DIAGNOSIS,
        )
        return TimeToMMI(by_part, by_diagnosis, sum(item.count for item in by_part))
    part_days, diagnosis_days = [], []
    for body_part, codes, injured, mmi in cases.values_list(
        "body_part", "diagnosis_codes", "date_of_injury", "mmi_date"
    ):
        assert mmi is not None  # filtered on above
        days = (mmi - injured).days
        primary = normalise_icd10(codes.split(",")[0]) if codes else ""
        part_days.append((parts.get(body_part, body_part), days))
        diagnosis_days.append((primary[:3] or NO_DIAGNOSIS, days))
    return TimeToMMI(
        by_body_part=spreads_by_group(part_days),
        by_diagnosis=spreads_by_group(diagnosis_days),
        cases=len(part_days),
    )
