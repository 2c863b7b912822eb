"""What every report shares: its running header, file names and the case's parties."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from ..models import Case, Organisation, User

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class ReportHeader:
    """The running header and footer of every page."""

    title: str
    claim_number: str
    state_claim_number: str
    patient_name: str
    document_id: str
    generated_at: datetime
    draft: bool = False


@dataclass(frozen=True)
class Party:
    """An organisation or person named on a report, with how to reach them."""

    name: str
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Doctor:
    """A clinician as a report names them (docs/domain.md §2: licence type, number,
    jurisdiction)."""

    name: str
    licence_type: str
    licence_number: str
    licence_jurisdiction: str

    @property
    def licence(self) -> str:
        parts = [self.licence_type, self.licence_number]
        if self.licence_jurisdiction:
            parts.append(f"({self.licence_jurisdiction})")
        return " ".join(part for part in parts if part)


@dataclass(frozen=True)
class ClaimParties:
    """Who the claim is about and who is on it (the top of DWC069 and DWC073)."""

    employee: Party
    employee_born: date
    employer: Party
    carrier: Party
    representative: Party | None
    adjuster: str
    case_manager: str
    claim_number: str
    state_claim_number: str
    jurisdiction: str
    date_of_injury: date
    disability_began: date | None


def file_name_part(text: str) -> str:
    """``text`` reduced to characters safe in a Content-Disposition file name."""
    return _UNSAFE_IN_FILE_NAME.sub("-", text).strip("-.") or "report"


def case_document_file_name(title: str, case: Case, generated_at: datetime) -> str:
    """A case document's file name: its title, the claim number and the local date it was
    generated on, e.g. ``Case-summary-TX-2026-0001-2026-03-12.pdf``."""
    day = timezone.localdate(generated_at)
    return f"{title}-{file_name_part(case.claim_number)}-{day:%Y-%m-%d}.pdf"


def party(organisation: Organisation) -> Party:
    return Party(organisation.name, organisation.address, organisation.phone)


def doctor(user: User) -> Doctor:
    return Doctor(
        name=str(user),
        licence_type=user.get_licence_type_display() if user.licence_type else "",
        licence_number=user.licence_number,
        licence_jurisdiction=user.licence_jurisdiction,
    )


def claim_parties(case: Case) -> ClaimParties:
    """The case's parties; the case must come with ``Case.objects.with_parties()``."""
    patient = case.patient
    return ClaimParties(
        employee=Party(str(patient), patient.address, patient.phone),
        employee_born=patient.date_of_birth,
        employer=party(case.employer),
        carrier=party(case.insurer),
        representative=Party(case.representative_name, case.representative_address, "")
        if case.representative_name
        else None,
        adjuster=str(case.adjuster) if case.adjuster else "",
        case_manager=str(case.case_manager),
        claim_number=case.claim_number,
        state_claim_number=case.state_claim_number,
        jurisdiction=case.jurisdiction,
        date_of_injury=case.date_of_injury,
        disability_began=case.disability_began,
    )
