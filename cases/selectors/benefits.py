"""Benefit estimates: a jurisdiction's rule fed with a case's figures and the reference data in
force on the date of injury (docs/domain.md §4: estimates shown to adjusters, never advice).

Reads only, like cases/selectors/cases.py: at most one query, for the state average weekly wage.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ..domain.jurisdictions import (
    BenefitEstimate,
    Jurisdiction,
    NoImpairmentBenefits,
    UnknownJurisdiction,
    for_code,
)
from ..models import Case, Determination, StateAverageWeeklyWage
from ..templatetags.dates import day


class StateWageMissing(Exception):
    """No state average weekly wage is on file for the date of injury; the message says so."""


@dataclass(frozen=True, kw_only=True)
class ImpairmentBenefits:
    """An estimate and the reference figure it used (None where the rule needs none)."""

    estimate: BenefitEstimate
    state_wage: StateAverageWeeklyWage | None


@dataclass(frozen=True, kw_only=True)
class CaseBenefits:
    """What the case page shows about benefits: the inputs, and the estimate or why there is
    none (``unavailable``, empty when there is an estimate)."""

    jurisdiction: Jurisdiction | None
    determination: Determination | None
    average_weekly_wage: Decimal | None
    date_of_injury: date
    state_wage: StateAverageWeeklyWage | None = None
    estimate: BenefitEstimate | None = None
    supplemental_eligible: bool | None = None
    unavailable: str = ""

    @property
    def rating(self) -> int | None:
        return self.determination.impairment_rating if self.determination else None


def state_average_weekly_wage_on(*, jurisdiction: str, day: date) -> StateAverageWeeklyWage | None:
    """The state average weekly wage in force for an injury on ``day``, if one is on file."""
    return StateAverageWeeklyWage.objects.in_force_on(jurisdiction, day).first()


def estimate_impairment_benefits(
    *,
    jurisdiction: Jurisdiction,
    rating: int,
    average_weekly_wage: Decimal,
    date_of_injury: date,
) -> ImpairmentBenefits:
    """Estimate the impairment benefits a whole person rating is worth (docs/domain.md §4).

    Raises NoImpairmentBenefits when the jurisdiction has no such rule, and StateWageMissing
    when its rule needs a state average weekly wage that is not on file for the date of injury.
    """
    state_wage = None
    if jurisdiction.needs_state_average_weekly_wage:
        state_wage = state_average_weekly_wage_on(
            jurisdiction=jurisdiction.code, day=date_of_injury
        )
        if state_wage is None:
            raise StateWageMissing(
                f"No {jurisdiction.name} state average weekly wage is on file for an injury on "
                f"{day(date_of_injury)}, so the estimate cannot be computed. An "
                "administrator can add it under State average weekly wages."
            )
    estimate = jurisdiction.impairment_benefits(
        rating=rating,
        average_weekly_wage=average_weekly_wage,
        state_average_weekly_wage=state_wage.amount if state_wage else None,
    )
    return ImpairmentBenefits(estimate=estimate, state_wage=state_wage)


def case_benefits(case: Case) -> CaseBenefits:
    """The benefit estimate for a case, from the rating of its latest signed determination.

    Reads the determinations prefetched by selectors.case_with_records.
    """
    signed = [d for d in case.determinations.all() if d.status == Determination.Status.SIGNED]
    determination = max(signed, key=lambda d: d.version, default=None)
    benefits = CaseBenefits(
        jurisdiction=None,
        determination=determination,
        average_weekly_wage=case.average_weekly_wage,
        date_of_injury=case.date_of_injury,
    )
    try:
        jurisdiction = for_code(case.jurisdiction)
    except UnknownJurisdiction as error:
        return replace(benefits, unavailable=str(error))
    benefits = replace(benefits, jurisdiction=jurisdiction)
    if determination is None:
        return replace(
            benefits,
            unavailable="There is no signed MMI determination yet: the estimate needs its "
            "whole person impairment rating.",
        )
    if determination.impairment_rating is None:
        return replace(
            benefits,
            unavailable=f"The signed determination (version {determination.version}) has no "
            "impairment rating.",
        )
    if case.average_weekly_wage is None:
        return replace(
            benefits,
            unavailable="The case has no average weekly wage: add it in the case details.",
        )
    try:
        estimated = estimate_impairment_benefits(
            jurisdiction=jurisdiction,
            rating=determination.impairment_rating,
            average_weekly_wage=case.average_weekly_wage,
            date_of_injury=case.date_of_injury,
        )
    except (NoImpairmentBenefits, StateWageMissing) as error:
        return replace(benefits, unavailable=str(error))
    return replace(
        benefits,
        estimate=estimated.estimate,
        state_wage=estimated.state_wage,
        supplemental_eligible=jurisdiction.supplemental_benefits_eligible(
            determination.impairment_rating
        ),
    )
