"""How a questionnaire's answers make its score (docs/domain.md §12).

Exact decimal arithmetic; a score is rounded to the definition's places with halves rounded
up. Rules:

- ``sum``: the sum of the answers (NPRS, PHQ-9, GAD-7);
- ``mean``: the sum divided by the number of items answered (PSFS);
- ``percent_of_maximum``: the answers' distance above each item's lowest value, as a
  percentage of the most the items answered could reach (the Oswestry index: total / (5 ×
  items answered) × 100);
- ``quickdash``: ((sum of the n answers / n) − 1) × 25 (the QuickDASH disability score).

Below the definition's minimum number of items answered there is no score.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SUM = "sum"
MEAN = "mean"
PERCENT_OF_MAXIMUM = "percent_of_maximum"
QUICKDASH = "quickdash"
RULES = (SUM, MEAN, PERCENT_OF_MAXIMUM, QUICKDASH)

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ItemSpec:
    key: str
    values: tuple[Decimal, ...]
    alert_above: Decimal | None = None

    @property
    def lowest(self) -> Decimal:
        return min(self.values)

    @property
    def highest(self) -> Decimal:
        return max(self.values)


@dataclass(frozen=True)
class DefinitionSpec:
    rule: str
    items: tuple[ItemSpec, ...]
    min_answered: int
    places: int = 2


@dataclass(frozen=True)
class Result:
    """A response's score, or why it has none."""

    score: Decimal | None
    answered: tuple[str, ...]
    missing: tuple[str, ...]
    min_answered: int

    @property
    def is_complete(self) -> bool:
        return self.score is not None

    @property
    def summary(self) -> str:
        """What a clinician reads under the form: how many are answered and whether the
        score holds."""
        count = len(self.answered)
        total = count + len(self.missing)
        if not self.missing:
            return f"All {total} items answered."
        if self.is_complete:
            return (
                f"{count} of {total} items answered: the score is still valid "
                f"(at least {self.min_answered} needed)."
            )
        return (
            f"{count} of {total} items answered: no valid score "
            f"(at least {self.min_answered} needed)."
        )


class AnswerRefused(ValueError):
    """An answer names no item of the definition, or is not one of the item's choices."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{key}: {text}" for key, text in errors.items()))


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def answers_check(spec: DefinitionSpec, answers: Mapping[str, Decimal]) -> None:
    """Refuse, naming each, the answers to no item and the answers outside their item's
    choices."""
    items = {item.key: item for item in spec.items}
    errors: dict[str, str] = {}
    for key, value in answers.items():
        item = items.get(key)
        if item is None:
            errors[key] = "no such item"
        elif value not in item.values:
            allowed = ", ".join(_plain(v) for v in sorted(item.values))
            errors[key] = f"{_plain(value)} is not one of the choices ({allowed})"
    if errors:
        raise AnswerRefused(errors)


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def score(spec: DefinitionSpec, answers: Mapping[str, Decimal]) -> Result:
    """The score of ``answers`` (item key → value) by the definition's rule; none below its
    minimum number of items answered. Raises AnswerRefused for an answer outside the
    choices."""
    answers_check(spec, answers)
    answered = tuple(item.key for item in spec.items if item.key in answers)
    missing = tuple(item.key for item in spec.items if item.key not in answers)
    result = Result(score=None, answered=answered, missing=missing, min_answered=spec.min_answered)
    if not answered or len(answered) < spec.min_answered:
        return result
    values = [answers[key] for key in answered]
    total = sum(values, Decimal(0))
    count = Decimal(len(values))
    if spec.rule == SUM:
        raw = total
    elif spec.rule == MEAN:
        raw = total / count
    elif spec.rule == PERCENT_OF_MAXIMUM:
        reached = sum((answers[item.key] - item.lowest for item in _of(spec, answered)), Decimal(0))
        possible = sum((item.highest - item.lowest for item in _of(spec, answered)), Decimal(0))
        raw = reached / possible * HUNDRED
    elif spec.rule == QUICKDASH:
        raw = (total / count - 1) * 25
    else:
        raise ValueError(f"Unknown scoring rule {spec.rule!r}.")
    return Result(
        score=round_half_up(raw, spec.places),
        answered=answered,
        missing=missing,
        min_answered=spec.min_answered,
    )


def _of(spec: DefinitionSpec, keys: tuple[str, ...]) -> list[ItemSpec]:
    wanted = set(keys)
    return [item for item in spec.items if item.key in wanted]


def alerts(spec: DefinitionSpec, answers: Mapping[str, Decimal]) -> tuple[str, ...]:
    """The items whose answer crosses their alert (PHQ-9 item 9: any answer above 0)."""
    return tuple(
        item.key
        for item in spec.items
        if item.alert_above is not None
        and item.key in answers
        and answers[item.key] > item.alert_above
    )
