"""Shared set-up for the report tests: a case with a full record, determinations in each
state, and reading a PDF's text back."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from pypdf import PdfReader

from cases.models import Case, Determination, DeterminationStep, Instrument, User
from cases.models.organisations import Organisation
from tests.support.factories import (
    AssessmentFactory,
    ConsultationFactory,
    DeterminationFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)

TODAY = timezone.localdate


def pages(pdf: bytes) -> list[str]:
    """Each page's text, whitespace collapsed to single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def text(pdf: bytes) -> str:
    return " ".join(pages(pdf))


def squeezed(value: str) -> str:
    """Without any whitespace: pypdf may break a long string anywhere."""
    return re.sub(r"\s+", "", value)


def fill_record(case: Case, clinician: User, *, assessments: int = 6, treatments: int = 3):
    """Give the case treatments, scored assessments, a test, an opinion and a work status."""
    odi = Instrument.objects.get(abbreviation="ODI")
    case.tracked_instruments.set([odi])
    injury = case.date_of_injury
    for n in range(treatments):
        TreatmentFactory(
            case=case,
            description=f"Lumbar stabilisation block {n + 1}",
            start_date=injury + timedelta(days=7 + n),
            end_date=injury + timedelta(days=120),
            sessions=12,
        )
    for n in range(assessments):
        assessment = AssessmentFactory(
            case=case,
            clinician=clinician,
            date=injury + timedelta(days=14 + n * 2),
            findings="Paraspinal tenderness; flexion limited.",
        )
        OutcomeScoreFactory(assessment=assessment, instrument=odi, value=Decimal(60 - min(n, 20)))
    DiagnosticFactory(case=case, findings="L4-L5 disc protrusion without compression.")
    ConsultationFactory(
        case=case, consultant="Dr. Helen Ward", opinion="Further passive therapy unlikely to help."
    )
    status = WorkStatusFactory(
        case=case,
        issued_by=clinician,
        explanation="Lumbar strain with radiculopathy.",
        medication_effects="No driving after taking the evening dose.",
    )
    WorkRestrictionFactory(work_status=status, activity="lift", max_pounds=20)
    WorkRestrictionFactory(
        work_status=status,
        category="posture",
        activity="bend",
        max_pounds=None,
        frequency="",
        max_hours_per_day=Decimal("1"),
        is_permanent=True,
    )
    return status


def name_the_parties(case: Case) -> None:
    Organisation.objects.filter(pk=case.insurer_id).update(
        name="Lone Star Mutual", address="100 Congress Ave, Austin TX", phone="512-555-0100"
    )
    Organisation.objects.filter(pk=case.employer_id).update(name="Alamo Freight Lines")
    case.patient.first_name, case.patient.last_name = "John", "Davis"
    case.patient.address = "12 Elm Street, San Antonio TX"
    case.patient.save()
    case.state_claim_number = "DWC-26-118204"
    case.diagnosis_codes = "M54.50,S33.5XXA"
    case.injury_description = "Lifted a 70 lb crate and felt sharp low back pain."
    case.save()
    case.refresh_from_db()


def determination(
    case: Case,
    clinician: User,
    *,
    status: str = Determination.Status.SIGNED,
    version: int = 1,
    supersedes: Determination | None = None,
    mmi_reached: bool | None = True,
    steps: dict | None = None,
    **fields,
) -> Determination:
    """A determination in the given state; its step answers are saved while it is a draft."""
    exam = fields.pop("exam_date", TODAY() - timedelta(days=3))
    values = {
        "exam_date": exam,
        "diagnosis_codes": "M54.50,S33.5XXA",
        "certifier_role": Determination.CertifierRole.TREATING,
        "guides_edition": "4th",
        "jurisdiction": case.jurisdiction,
        "mmi_reached": mmi_reached,
        "mmi_type": Determination.MMIType.CLINICAL if mmi_reached else "",
        "mmi_date": exam if mmi_reached else None,
        "expected_mmi_date": None if mmi_reached else date(2027, 3, 1),
        "impairment_finding": Determination.ImpairmentFinding.RATED if mmi_reached else "",
        "impairment_rating": 7 if mmi_reached else None,
        "mmi_unconditional": bool(mmi_reached),
        "permanent_restrictions": "No lifting over 20 lb." if mmi_reached else "",
        "future_care": "Home exercise programme; two follow-up visits a year.",
        "rationale": "ODI unchanged beyond its MCID for eight weeks; MRI stable.",
        **fields,
    }
    draft = DeterminationFactory(
        case=case,
        version=version,
        certifying_clinician=clinician,
        supersedes=supersedes,
        **values,
    )
    for slug, answers in (steps or {}).items():
        DeterminationStep.objects.create(
            determination=draft, slug=slug, answers=answers, saved_by=clinician
        )
    if status != Determination.Status.DRAFT:
        draft.status = status
        draft.signed_at = timezone.now()
        draft.save()
    return draft
