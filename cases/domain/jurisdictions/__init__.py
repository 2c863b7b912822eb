"""Jurisdiction rules by US state code: ``for_code("TX")`` gives Texas's rules.

A state with rules of its own is a ``Jurisdiction`` subclass in its own module, listed in
``_WITH_OWN_RULES`` below; every other state, DC or territory gets the generic rules under
its own code and name (docs/domain.md §1: show the jurisdiction's own term; rules that differ by
jurisdiction live in per-jurisdiction modules).

Standard library only: this package must never import Django (docs/architecture.md §1).
"""

from __future__ import annotations

from cases.domain.disability import DisabilityPeriod
from cases.domain.jurisdictions.base import (
    GUIDES_EDITIONS,
    BenefitEstimate,
    BenefitInputError,
    DisputeDeadline,
    HelpLine,
    Jurisdiction,
    NoImpairmentBenefits,
    SpinalSurgeryExtension,
    StatutoryMMI,
    UnknownJurisdiction,
)
from cases.domain.jurisdictions.california import California
from cases.domain.jurisdictions.florida import Florida
from cases.domain.jurisdictions.texas import Texas

__all__ = [
    "CHOICES",
    "GUIDES_EDITIONS",
    "BenefitEstimate",
    "BenefitInputError",
    "DisabilityPeriod",
    "DisputeDeadline",
    "HelpLine",
    "Jurisdiction",
    "NoImpairmentBenefits",
    "SpinalSurgeryExtension",
    "StatutoryMMI",
    "UnknownJurisdiction",
    "for_code",
    "supported_codes",
]

# The 50 states and DC, by USPS code: the choices of the jurisdiction dropdown.
CHOICES: tuple[tuple[str, str], ...] = (
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
)

# Territories with their own workers' compensation law: accepted by for_code, generic rules.
_TERRITORIES: tuple[tuple[str, str], ...] = (
    ("AS", "American Samoa"),
    ("GU", "Guam"),
    ("MP", "Northern Mariana Islands"),
    ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
)

_NAMES: dict[str, str] = dict(CHOICES + _TERRITORIES)

# Jurisdictions with rules of their own. To add a state: write its subclass, list it here.
_WITH_OWN_RULES: dict[str, Jurisdiction] = {
    rules.code: rules for rules in (Texas(), Florida(), California())
}


def for_code(code: str) -> Jurisdiction:
    """The rules for a US state, DC or territory code (any case, e.g. "TX" or "tx").

    Texas, Florida and California have their own rules; any other known code gets the
    generic rules under that code and name. Raises UnknownJurisdiction for anything else.
    """
    if not isinstance(code, str) or code.strip().upper() not in _NAMES:
        raise UnknownJurisdiction(
            f"{code!r} is not a US state, DC or territory code. "
            "Use a two-letter code such as TX, FL or CA."
        )
    normalised = code.strip().upper()
    if normalised in _WITH_OWN_RULES:
        return _WITH_OWN_RULES[normalised]
    return Jurisdiction(code=normalised, name=_NAMES[normalised])


def supported_codes() -> tuple[str, ...]:
    """Every code ``for_code`` accepts (states, DC and territories), sorted."""
    return tuple(sorted(_NAMES))
