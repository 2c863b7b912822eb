"""Impairment arithmetic: the AMA Guides Combined Values Chart and level conversions.

Source: docs/domain.md §3 (AMA Guides Combined Values Chart; digit → hand → upper extremity →
whole person and foot → lower extremity → whole person conversions). Every function returns
its working as plain-English steps so a page and a PDF can show how a number was reached.

Standard library only: this module must never import Django (docs/architecture.md §1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

_HUNDRED = Decimal(100)


class ImpairmentError(ValueError):
    """An impairment input a clinician has to correct; the message names the bad input."""


class Level(StrEnum):
    """The levels at which the Guides express an impairment (docs/domain.md §3)."""

    THUMB = "thumb"
    INDEX = "index"
    MIDDLE = "middle"
    RING = "ring"
    LITTLE = "little"
    HAND = "hand"
    UPPER_EXTREMITY = "upper_extremity"
    FOOT = "foot"
    LOWER_EXTREMITY = "lower_extremity"
    WHOLE_PERSON = "whole_person"

    @property
    def label(self) -> str:
        """The level in words, as printed in the working ("index finger", "whole person")."""
        return _LABELS[self]

    @property
    def is_digit(self) -> bool:
        """True for the thumb and fingers, whose hand values are added (docs/domain.md §3)."""
        return self in _DIGITS


_LABELS: dict[Level, str] = {
    Level.THUMB: "thumb",
    Level.INDEX: "index finger",
    Level.MIDDLE: "middle finger",
    Level.RING: "ring finger",
    Level.LITTLE: "little finger",
    Level.HAND: "hand",
    Level.UPPER_EXTREMITY: "upper extremity",
    Level.FOOT: "foot",
    Level.LOWER_EXTREMITY: "lower extremity",
    Level.WHOLE_PERSON: "whole person",
}

_LEVEL_CODES = frozenset(member.value for member in Level)

_DIGITS = frozenset({Level.THUMB, Level.INDEX, Level.MIDDLE, Level.RING, Level.LITTLE})

# docs/domain.md §3 conversions: the next level up and the percentage of the value it carries.
# Whole person is the top and converts to nothing. Listed from the most distal level up, so
# walking the table finishes every level before the level it feeds.
_CONVERSIONS: dict[Level, tuple[Level, Decimal]] = {
    Level.THUMB: (Level.HAND, Decimal(40)),
    Level.INDEX: (Level.HAND, Decimal(20)),
    Level.MIDDLE: (Level.HAND, Decimal(20)),
    Level.RING: (Level.HAND, Decimal(10)),
    Level.LITTLE: (Level.HAND, Decimal(10)),
    Level.HAND: (Level.UPPER_EXTREMITY, Decimal(90)),
    Level.UPPER_EXTREMITY: (Level.WHOLE_PERSON, Decimal(60)),
    Level.FOOT: (Level.LOWER_EXTREMITY, Decimal(70)),
    Level.LOWER_EXTREMITY: (Level.WHOLE_PERSON, Decimal(40)),
}


class Mode(StrEnum):
    """How a value joins the others at its level (docs/domain.md §3: the rater says which)."""

    ADD = "add"
    COMBINE = "combine"


class Operation(StrEnum):
    """What a step of the working did, so a template can style or group the steps."""

    RECORD = "record"
    ADD = "add"
    COMBINE = "combine"
    CONVERT = "convert"


@dataclass(frozen=True, kw_only=True)
class Step:
    """One line of working: the sentence to show and the numbers behind it.

    ``inputs`` are the percentages the step started from (for a conversion: the value and the
    conversion percentage), ``exact`` the unrounded result and ``result`` the whole percent
    carried forward.
    """

    text: str
    operation: Operation
    inputs: tuple[Decimal, ...]
    exact: Decimal
    result: int


@dataclass(frozen=True, kw_only=True)
class Working:
    """A whole-percent result and the steps that produced it, in order."""

    result: int
    steps: tuple[Step, ...]


@dataclass(frozen=True, kw_only=True)
class Conversion:
    """A value carried from its level up to whole person.

    ``values`` holds (level, whole percent) from the starting level to whole person, e.g.
    index 75 → hand 15 → upper extremity 14 → whole person 8.
    """

    values: tuple[tuple[Level, int], ...]
    steps: tuple[Step, ...]

    @property
    def whole_person(self) -> int:
        """The whole person value, the last of ``values``."""
        return self.values[-1][1]


@dataclass(frozen=True)
class ImpairmentItem:
    """One rated impairment as the rater entered it.

    ``region`` names the limb or body part it belongs to ("Left upper extremity", "Lumbar
    spine"); items with the same region are finished together before conversion to whole
    person. ``method`` is the Guides table or figure used. ``level`` and ``mode`` accept the
    enum members or their string values and are stored as the enums.
    """

    region: str
    level: Level
    value: int
    method: str
    mode: Mode = Mode.COMBINE

    def __post_init__(self) -> None:
        if not isinstance(self.region, str) or not self.region.strip():
            raise ImpairmentError("Each impairment needs a region, e.g. 'Left upper extremity'.")
        where = self.region.strip()
        if not isinstance(self.method, str) or not self.method.strip():
            raise ImpairmentError(
                f"{where}: name the Guides table or figure used for this impairment."
            )
        # Frozen dataclass: store the cleaned values through object.__setattr__.
        object.__setattr__(self, "region", where)
        object.__setattr__(self, "level", _level(self.level))
        object.__setattr__(self, "mode", _mode(self.mode))
        value = _whole_percent(self.value, f"{where}, {self.level.label} impairment")
        object.__setattr__(self, "value", value)


def round_half_up(value: int | Decimal) -> int:
    """Round a percentage to a whole percent, halves up (docs/domain.md §3): 23.5 → 24,
    49.4 → 49."""
    number = _number(value, "The value to round")
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def combine(values: Iterable[int | Decimal]) -> Working:
    """Combine impairments at one level with the Combined Values Chart formula (docs/domain.md §3).

    Values are percentages from 0 to 100. They are sorted largest first; the running value A
    is combined with the next value B as A + B × (1 − A) in fractions and rounded to a whole
    percent, halves up, after each step. With inputs of at most 100 % the formula never goes
    above 100 %. Example: 30, 20, 10 → 44 → 49.6 → 50.
    """
    ordered = sorted(_percentages(values, "combine"), reverse=True)
    first = ordered[0]
    if len(ordered) == 1:
        result = round_half_up(first)
        text = f"Only one value, nothing to combine: {_pct(first)} %{_rounded(first, result)}"
        step = Step(
            text=text, operation=Operation.COMBINE, inputs=(first,), exact=first, result=result
        )
        return Working(result=result, steps=(step,))
    steps: list[Step] = []
    running = first
    for value in ordered[1:]:
        exact = running + value * (_HUNDRED - running) / _HUNDRED
        result = round_half_up(exact)
        steps.append(
            Step(
                text=(
                    f"Combine {_pct(running)} % and {_pct(value)} %: "
                    f"{_pct(running)} + {_pct(value)} × (1 − {_fraction(running)}) = "
                    f"{_pct(exact)} %{_rounded(exact, result)}"
                ),
                operation=Operation.COMBINE,
                inputs=(running, value),
                exact=exact,
                result=result,
            )
        )
        running = Decimal(result)
    return Working(result=steps[-1].result, steps=tuple(steps))


def add(values: Iterable[int | Decimal]) -> Working:
    """Add impairments the Guides say to add, e.g. digits into a total hand value
    (docs/domain.md §3).

    The sum is rounded to a whole percent, halves up, and never goes above 100 %.
    """
    numbers = _percentages(values, "add")
    exact = sum(numbers, Decimal(0))
    rounded = round_half_up(exact)
    result = min(rounded, 100)
    if len(numbers) == 1:
        text = f"Only one value, nothing to add: {_pct(exact)} %"
    else:
        text = f"Add {' + '.join(_pct(number) for number in numbers)} = {_pct(exact)} %"
    if rounded > 100:
        text += ", capped at 100 %"
    else:
        text += _rounded(exact, result)
    step = Step(
        text=text, operation=Operation.ADD, inputs=tuple(numbers), exact=exact, result=result
    )
    return Working(result=result, steps=(step,))


def convert(level: Level | str, value: int | Decimal) -> Conversion:
    """Carry a whole-percent value from its level up to whole person (docs/domain.md §3).

    Each converted value is rounded to a whole percent, halves up, before the next
    conversion: index 75 → hand 15 → upper extremity 13.5 → 14 → whole person 8.4 → 8.
    """
    start = _level(level)
    current = _whole_percent(value, f"The {start.label} impairment")
    values: list[tuple[Level, int]] = [(start, current)]
    steps: list[Step] = []
    while start in _CONVERSIONS:
        step = _conversion_step(start, current)
        start, current = _CONVERSIONS[start][0], step.result
        values.append((start, current))
        steps.append(step)
    return Conversion(values=tuple(values), steps=tuple(steps))


def rate_whole_person(items: Iterable[ImpairmentItem]) -> Working:
    """Rate the whole person from itemised impairments (docs/domain.md §3), showing every step.

    The order, which is the order of the steps:

    1. Items are grouped by region, in the order regions first appear (region names match
       regardless of case). A region is one limb, or a body part rated at whole person; it
       may not mix upper and lower extremity levels.
    2. Within a region, levels are finished from the most distal up: each digit, then hand,
       then upper extremity (or foot, then lower extremity), then whole person.
    3. At each level, the values to add are summed first (capped at 100 %): the items
       marked "add" and, at hand level, each digit's hand value, because digits are added
       into a total hand value. That sum and the items marked "combine" (with the value
       converted up from the level below, when it is not a digit) are then combined
       largest first, rounding to a whole percent after each step.
    4. The finished value of a level is converted to the next level up, rounded half up.
    5. When every region has its whole person value, those values are combined largest
       first, rounding after each step, into the whole person rating.
    """
    regions = _regions(items)
    steps: list[Step] = []
    region_values: list[int] = []
    for region, region_items in regions:
        steps.extend(_record_step(item) for item in region_items)
        value, region_steps = _rate_region(region, region_items)
        region_values.append(value)
        steps.extend(region_steps)
    total = combine(region_values)
    steps.extend(_in_context(total.steps, "Whole person, all regions"))
    return Working(result=total.result, steps=tuple(steps))


def _regions(items: Iterable[ImpairmentItem]) -> list[tuple[str, list[ImpairmentItem]]]:
    """Group items by region (case-insensitive), in first-appearance order, and check them."""
    grouped: dict[str, tuple[str, list[ImpairmentItem]]] = {}
    for item in items:
        if not isinstance(item, ImpairmentItem):
            raise ImpairmentError(f"Expected an impairment item, got {item!r}.")
        key = item.region.casefold()
        grouped.setdefault(key, (item.region, []))[1].append(item)
    if not grouped:
        raise ImpairmentError("There are no impairments to rate: add at least one.")
    for region, region_items in grouped.values():
        _check_one_limb(region, region_items)
    return list(grouped.values())


def _check_one_limb(region: str, items: Sequence[ImpairmentItem]) -> None:
    """Refuse a region whose levels meet only at whole person (an arm and a leg together)."""
    # docs/domain.md §3: combine only values at the same level; finish each limb on its own.
    for first in items:
        for second in items:
            shared = set(_path(first.level)) & set(_path(second.level))
            if shared == {Level.WHOLE_PERSON} and Level.WHOLE_PERSON not in (
                first.level,
                second.level,
            ):
                raise ImpairmentError(
                    f"{region} mixes {first.level.label} and {second.level.label} "
                    "impairments: rate each limb as its own region."
                )


def _path(level: Level) -> list[Level]:
    """The level and every level it converts into, up to whole person."""
    path = [level]
    while path[-1] in _CONVERSIONS:
        path.append(_CONVERSIONS[path[-1]][0])
    return path


def _rate_region(region: str, items: Sequence[ImpairmentItem]) -> tuple[int, list[Step]]:
    """Finish one region level by level up to whole person (steps 2–4 of rate_whole_person)."""
    to_add: dict[Level, list[int]] = {level: [] for level in Level}
    to_combine: dict[Level, list[int]] = {level: [] for level in Level}
    for item in items:
        (to_add if item.mode is Mode.ADD else to_combine)[item.level].append(item.value)
    steps: list[Step] = []
    for level, (next_level, _) in _CONVERSIONS.items():
        if not to_add[level] and not to_combine[level]:
            continue
        value = _finish_level(f"{region}, {level.label}", to_add[level], to_combine[level], steps)
        conversion = _conversion_step(level, value)
        steps.extend(_in_context((conversion,), region))
        # docs/domain.md §3: digits are added into a total hand value; other levels are combined.
        (to_add if level.is_digit else to_combine)[next_level].append(conversion.result)
    # Every item either is at whole person or has just been carried up to it.
    whole_person = Level.WHOLE_PERSON
    value = _finish_level(
        f"{region}, {whole_person.label}", to_add[whole_person], to_combine[whole_person], steps
    )
    return value, steps


def _finish_level(context: str, to_add: list[int], to_combine: list[int], steps: list[Step]) -> int:
    """Sum the values to add, combine the sum with the rest, and append the steps."""
    values = list(to_combine)
    if len(to_add) > 1:
        summed = add(to_add)
        steps.extend(_in_context(summed.steps, context))
        values.append(summed.result)
    else:
        values.extend(to_add)
    if len(values) == 1:
        return values[0]
    combined = combine(values)
    steps.extend(_in_context(combined.steps, context))
    return combined.result


def _conversion_step(level: Level, value: int) -> Step:
    """Convert a whole-percent value one level up, rounded half up (docs/domain.md §3)."""
    next_level, percent = _CONVERSIONS[level]
    exact = Decimal(value) * percent / _HUNDRED
    result = round_half_up(exact)
    return Step(
        text=(
            f"{level.label.capitalize()} {value} % → {next_level.label}: "
            f"{value} × {_pct(percent)} % = {_pct(exact)} %{_rounded(exact, result)}"
        ),
        operation=Operation.CONVERT,
        inputs=(Decimal(value), percent),
        exact=exact,
        result=result,
    )


def _record_step(item: ImpairmentItem) -> Step:
    """State an item as entered, so the working starts from the rater's own figures."""
    how = "added" if item.mode is Mode.ADD else "combined"
    value = Decimal(item.value)
    return Step(
        text=(
            f"{item.region}, {item.level.label}: {item.value} % ({item.method.strip()}), "
            f"to be {how}"
        ),
        operation=Operation.RECORD,
        inputs=(value,),
        exact=value,
        result=item.value,
    )


def _in_context(steps: Iterable[Step], context: str) -> list[Step]:
    """Prefix each step's text with where it happens ("Left upper extremity, hand: …")."""
    return [replace(step, text=f"{context}: {step.text}") for step in steps]


def _level(level: Level | str) -> Level:
    """Read a level, accepting 'Upper extremity' or 'upper-extremity' as well as the code."""
    if isinstance(level, str):
        code = level.strip().lower().replace(" ", "_").replace("-", "_")
        if code in _LEVEL_CODES:
            return Level(code)
    choices = ", ".join(member.value for member in Level)
    raise ImpairmentError(f"Unknown impairment level {level!r}. Use one of: {choices}.")


def _mode(mode: Mode | str) -> Mode:
    """Read 'add' or 'combine'."""
    if isinstance(mode, str) and mode.strip().lower() in (Mode.ADD, Mode.COMBINE):
        return Mode(mode.strip().lower())
    raise ImpairmentError(f"Unknown mode {mode!r}: use 'add' or 'combine'.")


def _number(value: object, what: str) -> Decimal:
    """A finite int or Decimal as a Decimal; floats are refused because they are inexact."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ImpairmentError(f"{what} must be a number, got {value!r}.")
    number = Decimal(value)
    if not number.is_finite():
        raise ImpairmentError(f"{what} must be a number, got {value!r}.")
    return number


def _percentage(value: object, what: str) -> Decimal:
    """A number from 0 to 100 (docs/domain.md §3: impairments are percentages)."""
    number = _number(value, what)
    if number < 0:
        raise ImpairmentError(f"{what} cannot be negative (got {_pct(number)} %).")
    if number > _HUNDRED:
        raise ImpairmentError(f"{what} cannot be above 100 % (got {_pct(number)} %).")
    return number


def _whole_percent(value: object, what: str) -> int:
    """A whole percent from 0 to 100, as ratings are entered (docs/domain.md §2)."""
    number = _percentage(value, what)
    if number != number.to_integral_value():
        raise ImpairmentError(f"{what} must be a whole percent (got {_pct(number)} %).")
    return int(number)


def _percentages(values: Iterable[int | Decimal], verb: str) -> list[Decimal]:
    """Validate a list of percentages for add or combine; there must be at least one."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ImpairmentError(f"Give the values to {verb} as a list of numbers, got {values!r}.")
    numbers = [
        _percentage(value, f"Value {position} to {verb}")
        for position, value in enumerate(values, start=1)
    ]
    if not numbers:
        raise ImpairmentError(f"There are no values to {verb}: give at least one.")
    return numbers


def _pct(number: Decimal | int) -> str:
    """A percentage as written in the working: 65, 23.5, 100 (no exponent, no trailing 0)."""
    return format(Decimal(number).normalize(), "f")


def _fraction(percent: Decimal) -> str:
    """A percentage as the fraction the formula uses, at least two decimals: 50 → 0.50."""
    fraction = (percent / _HUNDRED).normalize()
    exponent = fraction.as_tuple().exponent
    # Always an int: only NaN and infinity have a letter there, and _number refuses both.
    if isinstance(exponent, int) and exponent > -2:
        fraction = fraction.quantize(Decimal("0.01"))
    return format(fraction, "f")


def _rounded(exact: Decimal, result: int) -> str:
    """', rounded to N %' when rounding changed the value, else nothing."""
    return "" if exact == result else f", rounded to {result} %"
