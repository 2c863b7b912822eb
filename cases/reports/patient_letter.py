"""The letter to the injured worker: the outcome in plain words, what it means and does not
mean, what happens next and how to dispute it, with the deadline (docs/domain.md §1, §2, §8),
on the certifying doctor's letterhead, in the patient's preferred language (§9).

The letter's words are Django's translations (cases/locale/): build and render it inside
``translation.override(letter_language(determination))``."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from ..domain.jurisdictions import HelpLine, UnknownJurisdiction, for_code
from ..models import Determination, Language
from .content import ClaimParties, ReportHeader, claim_parties, file_name_part
from .official.sources import Practice
from .official.texas import practice

# The certifier's role (the DWC069's), as the signature block names it to the patient.
_ROLES: dict[str, Promise] = {
    Determination.CertifierRole.TREATING: gettext_lazy("Treating doctor"),
    Determination.CertifierRole.FOR_TREATING: gettext_lazy(
        "Doctor acting for your treating doctor"
    ),
    Determination.CertifierRole.DESIGNATED: gettext_lazy(
        "Designated doctor, selected by the state's workers' compensation agency"
    ),
    Determination.CertifierRole.CARRIER_RME: gettext_lazy(
        "Required medical examination (RME) doctor, selected by the insurance carrier"
    ),
}


@dataclass(frozen=True)
class PatientLetter:
    header: ReportHeader
    parties: ClaimParties
    letter_date: date
    # The certifying doctor's practice: the letterhead and the signature block.
    practice: Practice
    doctor_title: str  # "Emily Chen, MD"
    doctor_role: str
    patient_name: str
    patient_first_name: str
    patient_address: str
    doctor_name: str
    exam_date: date | None
    mmi_reached: bool | None
    statutory: bool
    mmi_date: date | None
    expected_mmi_date: date | None
    impairment_rating: int | None
    no_permanent_impairment: bool
    permanent_restrictions: str
    future_care: str
    jurisdiction_name: str
    dispute_deadline: date | None
    help_line: HelpLine | None
    adjuster: str
    carrier_phone: str
    case_manager: str


def letter_language(determination: Determination) -> str:
    """The language the patient reads the letter in: the record's preferred one."""
    language = determination.case.patient.preferred_language
    return language if language in Language.values else Language.ENGLISH


def patient_letter_file_name(determination: Determination) -> str:
    claim = file_name_part(determination.case.claim_number)
    suffix = "-DRAFT" if determination.is_draft else ""
    return f"Letter-{claim}-v{determination.version}{suffix}.pdf"


def determination_with_parties(determination_id: int) -> Determination:
    """The determination with the case's parties, in one query."""
    return Determination.objects.select_related(
        "case__patient",
        "case__employer",
        "case__insurer",
        "case__adjuster",
        "case__case_manager",
        "certifying_clinician",
    ).get(pk=determination_id)


def patient_letter(determination: Determination, *, generated_at: datetime) -> PatientLetter:
    """The letter's content; ``determination`` must come from
    ``determination_with_parties`` (no query of its own).

    The dispute deadline is counted from the letter's date, the earliest the worker can
    have had notice of it; the jurisdiction's rule gives the window (Texas: 90 days,
    §408.123(e)). Where MMI Tracker knows no window, the letter says whom to ask.
    """
    case = determination.case
    letter_date = timezone.localdate(generated_at)
    code = determination.jurisdiction or case.jurisdiction
    help_line: HelpLine | None = None
    try:
        jurisdiction = for_code(code)
        jurisdiction_name = jurisdiction.name
        window = jurisdiction.dispute_deadline(letter_date)
        deadline = window.last_day if window else None
        help_line = jurisdiction.help_line
    except UnknownJurisdiction:
        jurisdiction_name, deadline = code, None
    doctor = practice(determination.certifying_clinician)
    role = _ROLES.get(determination.certifier_role)
    return PatientLetter(
        header=ReportHeader(
            title=gettext("Letter about your recovery"),
            claim_number=case.claim_number,
            state_claim_number=case.state_claim_number,
            patient_name=str(case.patient),
            document_id=patient_letter_file_name(determination).removesuffix(".pdf"),
            generated_at=generated_at,
            draft=determination.is_draft,
        ),
        parties=claim_parties(case),
        letter_date=letter_date,
        practice=doctor,
        doctor_title=", ".join(part for part in (doctor.name, doctor.licence_type) if part),
        doctor_role=str(role) if role else "",
        patient_name=str(case.patient),
        patient_first_name=case.patient.first_name,
        patient_address=case.patient.address,
        doctor_name=str(determination.certifying_clinician),
        exam_date=determination.exam_date,
        mmi_reached=determination.mmi_reached,
        statutory=determination.mmi_type == Determination.MMIType.STATUTORY,
        mmi_date=determination.mmi_date,
        expected_mmi_date=determination.expected_mmi_date,
        impairment_rating=determination.impairment_rating,
        no_permanent_impairment=determination.impairment_finding
        == Determination.ImpairmentFinding.NONE,
        permanent_restrictions=determination.permanent_restrictions,
        future_care=determination.future_care,
        jurisdiction_name=jurisdiction_name,
        dispute_deadline=deadline,
        help_line=help_line,
        adjuster=str(case.adjuster) if case.adjuster else "",
        carrier_phone=case.insurer.phone,
        case_manager=str(case.case_manager) if case.case_manager_id else "",
    )
