"""What every jurisdiction answers, with the generic (AMA Guides) answers as defaults.

Source: DOMAIN.md §1 (each jurisdiction's own word for MMI, its report form, statutory MMI),
§3 (the Guides edition), §4 (impairment benefit estimates) and §8 (deadlines). A state with
rules of its own subclasses ``Jurisdiction`` and overrides only what differs.

Standard library only: this module must never import Django (STYLE.md habit 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


class UnknownJurisdiction(ValueError):
    """The code is not a US state, DC or territory code."""


class NoImpairmentBenefits(Exception):
    """The jurisdiction has no impairment benefit rule in MMI Tracker."""


class BenefitInputError(ValueError):
    """An input to a jurisdiction rule is missing or impossible; the message names it."""


@dataclass(frozen=True, kw_only=True)
class StatutoryMMI:
    """The date on which the law deems MMI reached, with how it was worked out."""

    disability_began: date
    accrual_date: date
    mmi_date: date
    steps: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class BenefitEstimate:
    """An impairment benefit estimate for an adjuster (an estimate, never advice; DOMAIN §4).

    Money is in dollars with two decimal places. ``steps`` says in plain words how each
    figure was reached. Jurisdictions add their own figures (caps, minimums) in subclasses.
    """

    benefit: str
    rating: int
    average_weekly_wage: Decimal
    state_average_weekly_wage: Decimal | None
    weeks: int
    weekly_rate: Decimal
    total: Decimal
    steps: tuple[str, ...]


class Jurisdiction:
    """Rules of a jurisdiction MMI Tracker knows nothing special about: the AMA terms.

    Subclasses set the class attributes that differ and override the methods for the rules
    their law has. The generic answers are "no such rule" (None) or NoImpairmentBenefits.
    """

    mmi_term: str = "maximum medical improvement (MMI)"
    report_form: str = "Report of maximum medical improvement and impairment rating"
    # DOMAIN §3: many states rate with the AMA Guides 6th edition.
    default_guides_edition: int = 6
    # Whether impairment_benefits needs the state average weekly wage in force on the date
    # of injury, so callers know to look it up.
    needs_state_average_weekly_wage: bool = False

    def __init__(self, code: str, name: str) -> None:
        self.code = code
        self.name = name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"

    def statutory_mmi(self, disability_began: date) -> StatutoryMMI | None:
        """The statutory MMI date for a disability that began on ``disability_began``.

        None: no statutory MMI rule is recorded for this jurisdiction, so MMI is clinical only.
        """
        require_date(disability_began, "The date disability began")
        return None

    def dispute_deadline(self, notice_date: date) -> date | None:
        """Last day to dispute a first certification noticed on ``notice_date``.

        None: no dispute window is recorded for this jurisdiction.
        """
        require_date(notice_date, "The notice date")
        return None

    def impairment_benefits(
        self,
        *,
        rating: int,
        average_weekly_wage: Decimal,
        state_average_weekly_wage: Decimal | None,
    ) -> BenefitEstimate:
        """Estimate the impairment benefits a whole person ``rating`` is worth.

        Raises NoImpairmentBenefits here: this jurisdiction has no rule in MMI Tracker.
        """
        require_rating(rating)
        raise NoImpairmentBenefits(f"{self.name} has no impairment benefit rule in MMI Tracker.")

    def supplemental_benefits_eligible(self, rating: int) -> bool | None:
        """Whether ``rating`` is high enough for supplemental benefits.

        None: no supplemental benefit threshold is recorded for this jurisdiction.
        """
        require_rating(rating)
        return None


def require_date(value: object, what: str) -> date:
    """``value`` if it is a calendar date (not a date and time), else BenefitInputError."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise BenefitInputError(f"{what} must be a calendar date, got {value!r}.")
    return value


def require_rating(value: object) -> int:
    """``value`` if it is a whole person rating, a whole percent from 0 to 100 (DOMAIN §2)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise BenefitInputError(
            f"The impairment rating must be a whole percent from 0 to 100, got {value!r}."
        )
    return value


def require_money(value: object, what: str) -> Decimal:
    """``value`` as a Decimal if it is a dollar amount of zero or more.

    Floats are refused: money is exact Decimal arithmetic.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise BenefitInputError(f"{what} must be a dollar amount, got {value!r}.")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise BenefitInputError(f"{what} must be a dollar amount of $0 or more, got {value!r}.")
    return amount


def dollars(amount: Decimal) -> str:
    """An amount as written in the steps: $1,234.50, or every decimal of an exact $639.359."""
    exponent = amount.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return f"${amount:,.{places}f}"
