"""Periods of disability: the days a worker was off work because of the injury.

Income benefits and statutory MMI count days of disability, and those days need not be one
run: a worker off 1–3 March who goes back and is off again from 20 March has had three days
of disability before the 20th (28 TAC 124.7(a); docs/domain.md §1).

Standard library only: this module must never import Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .dates import day_label as _day

__all__ = ["DisabilityPeriod", "check_disability_periods", "nth_day_of_disability"]


@dataclass(frozen=True)
class DisabilityPeriod:
    """A run of days the worker was off work because of the injury, ``began`` through
    ``ended`` inclusive; ``ended`` is None while the worker is still off work."""

    began: date
    ended: date | None = None

    @property
    def days(self) -> int | None:
        """Days of disability in the period, or None while it is still open."""
        return None if self.ended is None else (self.ended - self.began).days + 1


def check_disability_periods(
    periods: Sequence[DisabilityPeriod], *, date_of_injury: date, today: date
) -> tuple[str, ...]:
    """What is wrong with a case's periods of disability, in words; empty when nothing is.

    Each period starts on or after the injury and not after today, ends (when it has ended)
    on or after its start and not after today; periods do not overlap; only the latest may
    still be open.
    """
    problems: list[str] = []
    ordered = sorted(periods, key=lambda period: period.began)
    for period in ordered:
        began, ended = period.began, period.ended
        if began < date_of_injury:
            problems.append(
                f"A period of disability cannot begin ({_day(began)}) before the date of "
                f"injury ({_day(date_of_injury)})."
            )
        if began > today:
            problems.append(
                f"A period of disability cannot begin in the future ({_day(began)}): record "
                "it once the worker is off work."
            )
        if ended is not None and ended < began:
            problems.append(f"The period from {_day(began)} ends before it begins ({_day(ended)}).")
        if ended is not None and ended > today:
            problems.append(
                f"The period from {_day(began)} is given an end in the future "
                f"({_day(ended)}): leave the end empty while the worker is still off work."
            )
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.ended is None:
            problems.append(
                f"The period from {_day(earlier.began)} is still open, but another begins "
                f"on {_day(later.began)}: give the day the first one ended."
            )
        elif later.began <= earlier.ended:
            problems.append(
                f"The periods from {_day(earlier.began)} and from {_day(later.began)} "
                "overlap: each day of disability is counted once."
            )
    return tuple(problems)


def nth_day_of_disability(periods: Sequence[DisabilityPeriod], n: int) -> date | None:
    """The ``n``-th day of disability counting the days of every period in date order, or
    None when the periods hold fewer than ``n`` days (the last one having ended).

    Off 1–3 March and again from 20 March: the 8th day is 24 March.
    """
    counted = 0
    for period in sorted(periods, key=lambda period: period.began):
        days = period.days
        if days is None or counted + days >= n:
            return period.began + timedelta(days=n - counted - 1)
        counted += days
    return None
