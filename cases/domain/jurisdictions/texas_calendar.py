"""Texas working days, as 28 TAC 102.3 defines them for the Division's deadlines.

28 TAC 102.3(b): a working day is any day, Monday to Friday, other than a national holiday as
defined by Texas Government Code §662.003(a), the Friday after Thanksgiving Day, December 24
and December 26. The national holidays of §662.003(a) are nine of the federal holidays:
Columbus Day and Juneteenth are federal holidays but not on that list (Texas keeps
Emancipation Day, 19 June, among its state holidays of §662.003(b), which are working days
for the Division). §662.003 moves no holiday that falls on a weekend, so the holidays are
taken on their own dates. The dates come from the maintained ``holidays`` library.

Standard library and ``holidays`` only: this module must never import Django.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

# Federal holidays that Texas Government Code §662.003(a) does not list as national holidays.
_NOT_NATIONAL_IN_TEXAS = frozenset({"Columbus Day", "Juneteenth National Independence Day"})

_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _days_off(year: int) -> dict[date, str]:
    federal = holidays.country_holidays("US", years=year, observed=False)
    days = {day: name for day, name in federal.items() if name not in _NOT_NATIONAL_IN_TEXAS}
    thanksgiving = next(day for day, name in federal.items() if name == "Thanksgiving Day")
    days[thanksgiving + _DAY] = "Friday after Thanksgiving Day"
    days[date(year, 12, 24)] = "24 December"
    days[date(year, 12, 26)] = "26 December"
    return days


def non_working_reason(day: date) -> str | None:
    """Why ``day`` is not a working day ("Saturday", "Thanksgiving Day"), or None if it is."""
    if day.weekday() == 5:
        return "Saturday"
    if day.weekday() == 6:
        return "Sunday"
    return _days_off(day.year).get(day)


def is_working_day(day: date) -> bool:
    """True for a Texas working day (28 TAC 102.3(b))."""
    return non_working_reason(day) is None


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += _DAY
    return day


def working_days_after(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted).

    Example: exam on Friday 27 Nov 2026 → the 7th working day after it is Tuesday
    8 Dec 2026 (Monday 30 Nov is the first).
    """
    if count < 1:
        raise ValueError("Count at least one working day.")
    day = start
    for _ in range(count):
        day = next_working_day(day + _DAY)
    return day
