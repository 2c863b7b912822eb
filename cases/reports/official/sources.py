"""What the official forms are filled from: the record's values, read once (texas.py), in
plain data. Every field map takes these, so a new revision of a form maps the same values.
A value the record does not hold is empty (or None), and its box stays blank."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Practice:
    """A doctor as the forms name them, with where they practise."""

    name: str
    licence_type: str  # the short code: MD, DO, DC …
    licence_number: str
    licence_jurisdiction: str
    facility: str = ""
    street: str = ""
    city: str = ""
    state: str = ""
    zip_code: str = ""
    phone: str = ""
    fax: str = ""

    @property
    def address(self) -> str:
        """Street, then "City, ST ZIP", on two lines."""
        place = " ".join(part for part in (self.state, self.zip_code) if part)
        town = ", ".join(part for part in (self.city, place) if part)
        return "\n".join(part for part in (self.street, town) if part)


@dataclass(frozen=True)
class Claim:
    """The claim's parties (the top of both forms)."""

    state_claim_number: str
    carrier_claim_number: str
    carrier: str
    employer: str
    employer_address: str
    employer_fax: str  # or the email address the employer takes reports at
    carrier_fax: str  # likewise the carrier's
    employee: str
    employee_phone: str
    employee_address: str
    ssn_last4: str
    date_of_injury: date


@dataclass(frozen=True)
class MedicalEvaluation:
    """A certification of MMI and impairment (DWC069)."""

    claim: Claim
    certifier: Practice
    certifier_role: str  # Determination.CertifierRole
    exam_date: date | None
    diagnosis_codes: tuple[str, ...]
    mmi_reached: bool | None
    mmi_type: str  # Determination.MMIType
    mmi_date: date | None
    expected_mmi_date: date | None
    impairment_finding: str  # Determination.ImpairmentFinding
    impairment_rating: int | None
    guides_edition: str  # "3rd", "4th" …
    certified_on: date | None


@dataclass(frozen=True)
class ActivityLimit:
    """One row of the DWC073 hours grid: an activity and the hours a day allowed (0 when
    never), or what else is said of it when the hours are not 0, 2, 4, 6 or 8."""

    activity: str  # one of GRID_ACTIVITIES, or "" for "other"
    hours: float | None
    text: str
    motion: bool = False  # an "other" line of motion (box 17h), not of posture (14g)


@dataclass(frozen=True)
class WorkStatusEvaluation:
    """A work status report (DWC073), the employer's copy: no diagnosis."""

    claim: Claim
    doctor: Practice
    kind: str  # WorkStatus.Kind
    effective_from: date
    expected_through: date | None
    hours_per_day: int | None
    limits: tuple[ActivityLimit, ...]
    lift_pounds: int | None
    lift_hours: float | None
    no_lifting: bool
    other_lift: tuple[str, ...]
    body_parts: tuple[str, ...]  # keys of BODY_PART_BOXES
    other_body_parts: tuple[str, ...]
    other_restrictions: tuple[str, ...]
    visited_on: date | None
    visit_type: str  # WorkStatus.VisitType, "" when not recorded
    practitioner_role: str  # WorkStatus.PractitionerRole, "" when not recorded
    next_visit_on: date | None
    sent_on: date
