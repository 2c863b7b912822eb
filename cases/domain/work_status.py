"""Work status and work restrictions (docs/domain.md §7; Texas DWC073 as the model).

Physical demand levels follow the US Department of Labor (Dictionary of Occupational
Titles, appendix C) table reproduced in docs/domain.md §7. Standard library only: no Django here
(docs/architecture.md §1). The vocabulary tuples are ``(value, label)`` pairs so a model or form can
use them directly as ``choices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from .dates import day_label as _day

Pounds = int | float | Decimal


# --- Restriction vocabulary (docs/domain.md §7) ------------------------------------------------

POSTURES: tuple[tuple[str, str], ...] = (
    ("stand", "Stand"),
    ("sit", "Sit"),
    ("walk", "Walk"),
    ("kneel", "Kneel"),
    ("bend", "Bend"),
    ("twist", "Twist"),
)

MOTIONS: tuple[tuple[str, str], ...] = (
    ("reach", "Reach"),
    ("overhead_reach", "Overhead reach"),
    ("keyboard", "Keyboard"),
    ("grasp", "Grasp"),
)


class Frequency(StrEnum):
    """How often during the working day, as the DOL defines it (docs/domain.md §7)."""

    OCCASIONAL = "occasional"
    FREQUENT = "frequent"
    CONSTANT = "constant"

    @property
    def definition(self) -> str:
        """The DOL definition in words, for labels and the printed report."""
        return FREQUENCY_DEFINITIONS[self]


FREQUENCY_DEFINITIONS: dict[Frequency, str] = {
    Frequency.OCCASIONAL: "Occasionally: up to 1/3 of the working day",
    Frequency.FREQUENT: "Frequently: from 1/3 to 2/3 of the working day",
    Frequency.CONSTANT: "Constantly: 2/3 of the working day or more",
}

FREQUENCIES: tuple[tuple[str, str], ...] = tuple(
    (str(frequency), definition) for frequency, definition in FREQUENCY_DEFINITIONS.items()
)


# --- Physical demand levels (US DOL; docs/domain.md §7) ----------------------------------------


class PhysicalDemandLevel(StrEnum):
    """US DOL strength levels, lightest first."""

    SEDENTARY = "sedentary"
    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"
    VERY_HEAVY = "very_heavy"

    @property
    def label(self) -> str:
        """Human name of the level."""
        return self.value.replace("_", " ").capitalize()

    @property
    def limits(self) -> DemandLimits:
        """The level's row of the DOL table."""
        return DOL_TABLE[self]


@dataclass(frozen=True)
class DemandLimits:
    """The most a level demands, in pounds, at each frequency.

    0 stands for the DOL's "negligible"; None means no upper bound (very heavy work).
    """

    occasional_lb: int | None
    frequent_lb: int | None
    constant_lb: int | None
    description: str


# DOL table (docs/domain.md §7). Each level's upper bound; very heavy exceeds heavy at every
# frequency (> 100 / > 50 / > 20 lb).
DOL_TABLE: dict[PhysicalDemandLevel, DemandLimits] = {
    PhysicalDemandLevel.SEDENTARY: DemandLimits(
        10, 0, 0, "Up to 10 lb occasionally; negligible frequently and constantly"
    ),
    PhysicalDemandLevel.LIGHT: DemandLimits(
        20, 10, 0, "Up to 20 lb occasionally, up to 10 lb frequently; negligible constantly"
    ),
    PhysicalDemandLevel.MEDIUM: DemandLimits(
        50, 25, 10, "20–50 lb occasionally, 10–25 lb frequently, up to 10 lb constantly"
    ),
    PhysicalDemandLevel.HEAVY: DemandLimits(
        100, 50, 20, "50–100 lb occasionally, 25–50 lb frequently, 10–20 lb constantly"
    ),
    PhysicalDemandLevel.VERY_HEAVY: DemandLimits(
        None,
        None,
        None,
        "Over 100 lb occasionally, over 50 lb frequently, over 20 lb constantly",
    ),
}


def _allows(limit: Pounds | None, demand: int | None) -> bool:
    """Whether a worker's limit allows a level's demand; None means "not limited"."""
    return limit is None or demand is None or limit >= demand


def _exceeds(limit: Pounds | None, demand: int | None) -> bool:
    return limit is None or demand is None or limit > demand


def demand_level_for(
    occasional_lb: Pounds | None,
    frequent_lb: Pounds | None,
    constant_lb: Pounds | None,
) -> PhysicalDemandLevel:
    """The highest DOL physical demand level the worker's lift limits allow (docs/domain.md §7).

    Mapping: a level is allowed when the worker may lift at least that level's maximum at
    *every* frequency (conservative: one tight limit lowers the level). So 20/10/0 lb →
    light, 50/25/10 → medium, 100/50/20 → heavy; very heavy needs more than 100/50/20.
    ``None`` at a frequency means no limit was set there ("not limited"); all None gives
    very heavy. Limits below the sedentary row still return sedentary, the lowest DOL
    level ("less than sedentary" in FCE wording): the restrictions themselves carry the
    detail. Negative pounds raise ``ValueError``.
    """
    limits = (occasional_lb, frequent_lb, constant_lb)
    for value in limits:
        if value is not None and value < 0:
            raise ValueError(f"A lift limit cannot be negative (got {value} lb).")

    heavy = DOL_TABLE[PhysicalDemandLevel.HEAVY]
    heavy_row = (heavy.occasional_lb, heavy.frequent_lb, heavy.constant_lb)
    if all(_exceeds(limit, demand) for limit, demand in zip(limits, heavy_row, strict=True)):
        return PhysicalDemandLevel.VERY_HEAVY
    best = PhysicalDemandLevel.SEDENTARY
    for level in (
        PhysicalDemandLevel.LIGHT,
        PhysicalDemandLevel.MEDIUM,
        PhysicalDemandLevel.HEAVY,
    ):
        row = DOL_TABLE[level]
        demands = (row.occasional_lb, row.frequent_lb, row.constant_lb)
        if all(_allows(limit, demand) for limit, demand in zip(limits, demands, strict=True)):
            best = level
        else:
            break
    return best


# --- Work status (Texas DWC073 model; docs/domain.md §7) ----------------------------------------


class WorkStatusKind(StrEnum):
    """The three DWC073 statuses."""

    FULL_DUTY = "full_duty"
    RESTRICTED = "restricted"
    OFF_WORK = "off_work"

    @property
    def label(self) -> str:
        """The status as the DWC073 words it, without dates."""
        return _KIND_LABELS[self]

    @property
    def needs_end_date(self) -> bool:
        """Restricted and off-work statuses run through a date; full duty has none."""
        return self is not WorkStatusKind.FULL_DUTY


_KIND_LABELS: dict[WorkStatusKind, str] = {
    WorkStatusKind.FULL_DUTY: "May return to work without restrictions",
    WorkStatusKind.RESTRICTED: "May return to work with restrictions",
    WorkStatusKind.OFF_WORK: "Prevented from working",
}


def describe_work_status(
    kind: WorkStatusKind | str, start: date, end: date | None, *, permanent: bool = False
) -> str:
    """The status as one sentence in DWC073 wording, e.g. for the report and the employer.

    "May return to work without restrictions as of 3 May 2025." /
    "May return to work with restrictions as of 3 May 2025, expected through 1 Jun 2025." /
    "May return to work with permanent restrictions as of 3 May 2025." /
    "Prevented from working from 3 May 2025 through 1 Jun 2025."
    """
    kind = WorkStatusKind(kind)
    through = _day(end) if end is not None else "a date not given"
    if kind is WorkStatusKind.FULL_DUTY:
        return f"May return to work without restrictions as of {_day(start)}."
    if kind is WorkStatusKind.RESTRICTED and permanent:
        return f"May return to work with permanent restrictions as of {_day(start)}."
    if kind is WorkStatusKind.RESTRICTED:
        return (
            f"May return to work with restrictions as of {_day(start)}, expected through {through}."
        )
    return f"Prevented from working from {_day(start)} through {through}."


def certified_restrictions(text: str) -> tuple[str, ...]:
    """The permanent restrictions a certification states in words, one each: its text split
    at line breaks and semicolons, list marks ("-", "•", "*") and a closing full stop taken
    off, blank parts dropped (docs/domain.md §7: the status issued with the certification
    lists them)."""
    parts = (part for line in text.splitlines() for part in line.split(";"))
    cleaned = (" ".join(part.strip().lstrip("-•*").split()).rstrip(".").strip() for part in parts)
    return tuple(part for part in cleaned if part)


class WorkStatusEntry(StrEnum):
    """The part of a work status a problem is about, so a form can show it there."""

    START = "start"
    END = "end"
    EXPLANATION = "explanation"
    RESTRICTIONS = "restrictions"


def work_status_problems(
    kind: WorkStatusKind | str,
    start: date | None,
    end: date | None,
    explanation: str,
    restriction_count: int,
    *,
    permanent: bool = False,
) -> tuple[tuple[WorkStatusEntry, str], ...]:
    """Problems that make a work status incomplete, each with the entry it is about, in
    words; empty when it is complete. ``check_work_status`` gives the words alone.

    docs/domain.md §7 (DWC073): real dates ("at next visit" is not a date, so a restricted or
    off-work status without an end date is incomplete), the end on or after the start, an
    explanation when the worker is kept off work, at least one restriction when the worker
    returns with restrictions, none when returning to full duty. A return with ``permanent``
    restrictions (those a signed MMI certification sets) runs through no date.
    """
    kind = WorkStatusKind(kind)
    if permanent and kind is not WorkStatusKind.RESTRICTED:
        raise ValueError("Only a return to work with restrictions can be permanent.")
    problems: list[tuple[WorkStatusEntry, str]] = []
    if start is None:
        problems.append(
            (
                WorkStatusEntry.START,
                "Give the date this work status starts (“as of” / “from”): a status needs a "
                "real calendar date.",
            )
        )
    if kind is WorkStatusKind.FULL_DUTY:
        if end is not None:
            problems.append(
                (
                    WorkStatusEntry.END,
                    "A return to work without restrictions has no end date: remove the end "
                    "date, or choose “may return with restrictions” if they are temporary.",
                )
            )
        if restriction_count > 0:
            problems.append(
                (
                    WorkStatusEntry.RESTRICTIONS,
                    f"A return to work without restrictions cannot list restrictions "
                    f"({restriction_count} recorded): remove them, or choose “may return with "
                    "restrictions”.",
                )
            )
    elif permanent:
        if end is not None:
            problems.append(
                (
                    WorkStatusEntry.END,
                    "Permanent restrictions are not expected to end: a permanent status has "
                    "no “expected through” date.",
                )
            )
    else:
        if end is None:
            problems.append(
                (
                    WorkStatusEntry.END,
                    "Give the date this status is expected to last through: a real calendar "
                    "date, not “at next visit”. Choose the date of the next planned visit if "
                    "that is when it will be reviewed.",
                )
            )
        elif start is not None and end < start:
            problems.append(
                (
                    WorkStatusEntry.END,
                    f"The end date {_day(end)} is before the start date {_day(start)}: the "
                    "status must run through a date on or after it starts.",
                )
            )
    if kind is WorkStatusKind.OFF_WORK and not (explanation or "").strip():
        problems.append(
            (
                WorkStatusEntry.EXPLANATION,
                "Explain how the injury prevents the worker from working: the DWC073 needs a "
                "reason when the worker is kept off work.",
            )
        )
    if kind is WorkStatusKind.RESTRICTED and restriction_count < 1:
        problems.append(
            (
                WorkStatusEntry.RESTRICTIONS,
                "A return to work with restrictions needs at least one restriction: add the "
                "restrictions (posture, lifting, motion, hours), or choose full duty.",
            )
        )
    return tuple(problems)


def check_work_status(
    kind: WorkStatusKind | str,
    start: date | None,
    end: date | None,
    explanation: str,
    restriction_count: int,
) -> tuple[str, ...]:
    """Problems that make a work status incomplete, in words; empty when it is complete.

    The rules of docs/domain.md §7 (DWC073) as ``work_status_problems`` states them, without the
    entry each is about.
    """
    return tuple(
        message
        for _, message in work_status_problems(kind, start, end, explanation, restriction_count)
    )


def is_expired(end: date | None, today: date) -> bool:
    """True once the status's "through" date has passed (the end date itself still counts).

    A status without an end date (full duty) never expires.
    """
    return end is not None and end < today


def is_expiring(end: date | None, today: date, within_days: int = 7) -> bool:
    """True when the status ends today or within ``within_days`` days, so a new DWC073 is
    due soon (docs/domain.md §8). Already-expired statuses are not "expiring": see ``is_expired``.
    """
    if end is None:
        return False
    return today <= end <= today + timedelta(days=within_days)
