"""Texas issues its certifications and work status reports on its own forms: the DWC069
(followed by the narrative report) and the DWC073, filled from the record and signed by the
doctor (PAdES, signing.py).

The revision in use is named once, in ``FORMS``: a new revision is a new field map module
and a new line there.
"""

import hashlib
import json
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from ...domain.activities import body_part_boxes, grid_activity
from ...models import Case, Determination, IssuedReport, User, WorkRestriction, WorkStatus
from ..rendering import RenderedReport
from . import dwc069_rev0115, dwc073_rev0919
from .filling import form_fill
from .signing import SignatureStamp, Signer, pdf_sign, pdf_signature_stamp
from .sources import ActivityLimit, Claim, MedicalEvaluation, Practice, WorkStatusEvaluation

JURISDICTION = "TX"
FORMS = {"certification": dwc069_rev0115, "work_status": dwc073_rev0919}


def issues_official_forms(jurisdiction: str) -> bool:
    """Whether a case of ``jurisdiction`` is issued on the state's own forms."""
    return jurisdiction.upper() == JURISDICTION


def practice(user: User) -> Practice:
    return Practice(
        name=str(user),
        licence_type=user.licence_type if user.licence_type != User.LicenceType.OTHER else "",
        licence_number=user.licence_number,
        licence_jurisdiction=user.licence_jurisdiction,
        facility=user.facility_name,
        street=user.office_street,
        city=user.office_city,
        state=user.office_state,
        zip_code=user.office_zip,
        phone=user.office_phone,
        fax=user.office_fax,
    )


def claim(case: Case) -> Claim:
    """The case's parties; ``case`` comes with its patient, employer and insurer."""
    patient = case.patient
    return Claim(
        state_claim_number=case.state_claim_number,
        carrier_claim_number=case.claim_number,
        carrier=case.insurer.name,
        employer=case.employer.name,
        employer_address=case.employer.address,
        employer_fax=case.employer.fax,
        carrier_fax=case.insurer.fax,
        employee=str(patient),
        employee_phone=patient.phone,
        employee_address=patient.address,
        ssn_last4=patient.ssn_last4,
        date_of_injury=case.date_of_injury,
    )


def medical_evaluation(determination: Determination) -> MedicalEvaluation:
    """The DWC069's values; ``determination`` comes with its case's parties and its
    certifying clinician."""
    signed_at = determination.signed_at
    return MedicalEvaluation(
        claim=claim(determination.case),
        certifier=practice(determination.certifying_clinician),
        certifier_role=determination.certifier_role,
        exam_date=determination.exam_date,
        diagnosis_codes=tuple(
            code.strip()
            for code in (determination.diagnosis_codes or determination.case.diagnosis_codes).split(
                ","
            )
            if code.strip()
        ),
        mmi_reached=determination.mmi_reached,
        mmi_type=determination.mmi_type,
        mmi_date=determination.mmi_date,
        expected_mmi_date=determination.expected_mmi_date,
        impairment_finding=determination.impairment_finding,
        impairment_rating=determination.impairment_rating,
        guides_edition=determination.guides_edition,
        certified_on=timezone.localdate(signed_at) if signed_at else None,
    )


def _hours(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _said(restriction: WorkRestriction) -> str:
    """A restriction in words, for a line of the form's "other" boxes."""
    parts = [restriction.activity]
    if restriction.frequency:
        parts.append(restriction.get_frequency_display().split(" (")[0].lower())
    if restriction.max_pounds is not None:
        parts.append(f"max {restriction.max_pounds} lb")
    if restriction.max_hours_per_day is not None:
        parts.append(f"max {restriction.max_hours_per_day.normalize():f} h/day")
    if restriction.body_part:
        side = f"{restriction.get_side_display().lower()} " if restriction.side else ""
        parts.append(f"{side}{restriction.get_body_part_display().lower()}")
    return ", ".join(part for part in parts if part)


def work_status_evaluation(status: WorkStatus, restrictions: list[WorkRestriction]):
    """The DWC073's values (the employer's copy); ``status`` comes with its case's parties
    and who issued it."""
    Category, Frequency = WorkRestriction.Category, WorkRestriction.Frequency
    limits: list[ActivityLimit] = []
    lift_pounds: int | None = None
    lift_hours: float | None = None
    no_lifting = False
    other_lift: list[str] = []
    body_parts: list[str] = []
    other_body_parts: list[str] = []
    other: list[str] = []
    for restriction in restrictions:
        never = restriction.frequency == Frequency.NEVER
        if restriction.category in (Category.POSTURE, Category.MOTION, Category.PUSH_PULL):
            row = grid_activity(restriction.activity)
            hours = 0.0 if never else _hours(restriction.max_hours_per_day)
            limits.append(
                ActivityLimit(
                    activity=row,
                    hours=hours,
                    text=_said(restriction),
                    motion=restriction.category == Category.MOTION,
                )
            )
        elif restriction.category == Category.LIFT_CARRY:
            if never:
                no_lifting = True
            elif restriction.max_pounds is not None and lift_pounds is None:
                lift_pounds = restriction.max_pounds
                lift_hours = _hours(restriction.max_hours_per_day)
            else:
                other_lift.append(_said(restriction))
        elif restriction.category == Category.BODY_PART:
            boxes = body_part_boxes(restriction.body_part, restriction.side)
            body_parts += [box for box in boxes if box not in body_parts]
            if not boxes:
                other_body_parts.append(_said(restriction))
        else:
            other.append(_said(restriction))
    if status.medication_effects:
        other.append(f"Medication: {status.medication_effects}")
    return WorkStatusEvaluation(
        claim=claim(status.case),
        doctor=practice(status.issued_by),
        kind=status.kind,
        effective_from=status.effective_from,
        expected_through=status.expected_through,
        hours_per_day=status.hours_per_day,
        limits=tuple(limits),
        lift_pounds=lift_pounds,
        lift_hours=lift_hours,
        no_lifting=no_lifting,
        other_lift=tuple(other_lift),
        body_parts=tuple(body_parts),
        other_body_parts=tuple(other_body_parts),
        other_restrictions=tuple(other),
        visited_on=status.visited_on,
        visit_type=status.visit_type,
        practitioner_role=status.practitioner_role,
        next_visit_on=status.next_visit_on,
        sent_on=timezone.localdate(),
    )


def certification_issue(determination_id: int, *, narrative: RenderedReport) -> RenderedReport:
    """The signed DWC069, followed by the narrative report's pages, as one signed PDF."""
    determination = Determination.objects.select_related(
        "case__patient", "case__employer", "case__insurer", "certifying_clinician"
    ).get(pk=determination_id)
    form = FORMS["certification"].FORM
    filled = form_fill(
        form,
        FORMS["certification"].field_values(medical_evaluation(determination)),
        appended=narrative.pdf,
    )
    doctor = str(determination.certifying_clinician)
    signed = pdf_sign(
        filled,
        signer=Signer(
            name=doctor,
            reason=f"{doctor} certifies this {form.code} Report of Medical Evaluation "
            f"(MMI determination v{determination.version})",
        ),
        field_name=form.signature_field,
        new_field_box=form.signature_box,
    )
    return RenderedReport(html=narrative.html, pdf=signed, content_sha256=narrative.content_sha256)


def work_status_issue(case_id: int) -> RenderedReport | None:
    """The case's current work status on the signed DWC073 (employer copy); None when no
    work status has been issued."""
    status = (
        WorkStatus.objects.filter(case_id=case_id)
        .select_related("case__patient", "case__employer", "case__insurer", "issued_by")
        .prefetch_related(Prefetch("restrictions", queryset=WorkRestriction.objects.all()))
        .order_by("-effective_from", "-pk")
        .first()
    )
    if status is None:
        return None
    module = FORMS["work_status"]
    values = module.field_values(work_status_evaluation(status, list(status.restrictions.all())))
    filled = form_fill(module.FORM, values)
    doctor = str(status.issued_by)
    signed = pdf_sign(
        filled,
        signer=Signer(
            name=doctor, reason=f"{doctor} issues this {module.FORM.code} Work Status Report"
        ),
        field_name=module.FORM.signature_field,
        new_field_box=module.FORM.signature_box,
    )
    # No HTML makes this document: its content is the form's values.
    content = json.dumps(values, sort_keys=True, default=str)
    return RenderedReport(
        html="", pdf=signed, content_sha256=hashlib.sha256(content.encode()).hexdigest()
    )


def issued_with_signatures(
    determination: Determination, issued: list[IssuedReport]
) -> list[tuple[IssuedReport, SignatureStamp | None]]:
    """Each issued report with the signature its file records (signer, time); None for a
    file with none. Only a Texas determination's files are read: the others are not signed."""
    jurisdiction = determination.jurisdiction or determination.case.jurisdiction
    if not issues_official_forms(jurisdiction):
        return [(report, None) for report in issued]
    rows = []
    for report in issued:
        try:
            with report.file.open("rb") as stored:
                stamp = pdf_signature_stamp(stored.read())
        except OSError:
            stamp = None
        rows.append((report, stamp))
    return rows
