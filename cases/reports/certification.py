"""The MMI certification of one determination version (docs/domain.md §2, Texas DWC069 model),
with its narrative: the five steps and the evidence behind each (docs/domain.md §6)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch, Q

from outside_records.models import RecordCitation

from ..determination.readiness import ORDER, step_name
from ..domain.impairment import ImpairmentError, Working, rate_whole_person
from ..domain.jurisdictions import GUIDES_EDITIONS, UnknownJurisdiction, for_code
from ..models import (
    Assessment,
    Consultation,
    Determination,
    Diagnostic,
    ImpairmentItem,
    OutcomeScore,
    Treatment,
    WorkStatus,
)
from ..selectors.outcomes import case_outcome_trends
from ..templatetags.dates import day
from .charts import ProgressChart
from .content import ClaimParties, Doctor, ReportHeader, claim_parties, doctor, file_name_part
from .determination_lines import ReviewedRecord, records_reviewed, step_lines


@dataclass(frozen=True)
class StepNarrative:
    """One of the five steps: what the clinician wrote, and the case records behind it."""

    number: int
    title: str
    answers: tuple[tuple[str, str], ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Supersession:
    version: int
    signed_at: datetime | None


@dataclass(frozen=True)
class CertificationReport:
    header: ReportHeader
    parties: ClaimParties
    jurisdiction_name: str
    mmi_term: str
    report_form: str
    version: int
    status: str
    status_label: str
    certifier: Doctor
    certifier_role: str
    exam_date: date | None
    diagnosis_codes: tuple[str, ...]
    mmi_reached: bool | None
    mmi_type: str
    mmi_date: date | None
    expected_mmi_date: date | None
    statutory_mmi_date: date | None
    outcome: str
    impairment_rating: int | None
    impairment_items: tuple[ImpairmentItem, ...]
    impairment_working: Working | None
    impairment_problem: str
    guides_edition: str
    impairment: str
    mmi_unconditional: bool
    injury_description: str
    steps: tuple[StepNarrative, ...]
    treatments: tuple[Treatment, ...]
    charts: tuple[ProgressChart, ...]
    diagnostics: tuple[Diagnostic, ...]
    consultations: tuple[Consultation, ...]
    records_reviewed: tuple[ReviewedRecord, ...]
    records_received_date: date | None
    permanent_restrictions: str
    future_care: str
    return_to_work: str
    plan: str
    rationale: str
    signed_at: datetime | None
    supersedes: Supersession | None
    superseded_by: Supersession | None
    rescinded_at: datetime | None
    rescind_reason: str

    @property
    def is_draft(self) -> bool:
        return self.status == Determination.Status.DRAFT


def certification_file_name(determination: Determination) -> str:
    claim = file_name_part(determination.case.claim_number)
    suffix = "-DRAFT" if determination.is_draft else ""
    return f"MMI-{claim}-v{determination.version}{suffix}.pdf"


def determination_with_records(determination_id: int) -> Determination:
    """The determination with everything its documents print, in thirteen queries whatever
    the number of records.

    A certification speaks as of its exam date (docs/domain.md §2), so records dated after it
    are left out; once signed, so are records entered after the signature, so that a copy
    rendered later (superseded, rescinded) tells the same story as the signed one.
    """
    determination = Determination.objects.select_related("case").get(pk=determination_id)
    as_of = Q()
    if determination.exam_date:
        as_of &= Q(date__lte=determination.exam_date)
    if determination.signed_at:
        as_of &= Q(created_at__lte=determination.signed_at)
    started = Q()
    if determination.exam_date:
        started &= Q(start_date__lte=determination.exam_date)
    if determination.signed_at:
        started &= Q(created_at__lte=determination.signed_at)
    statuses = Q()
    if determination.exam_date:
        statuses &= Q(effective_from__lte=determination.exam_date)
    return (
        Determination.objects.select_related(
            "case__patient",
            "case__employer",
            "case__insurer",
            "case__adjuster",
            "case__case_manager",
            "certifying_clinician",
            "supersedes",
            "superseded_by",
        )
        .prefetch_related(
            "steps",
            Prefetch(
                "steps__citations",
                queryset=RecordCitation.objects.select_related("record__stored_file"),
            ),
            "impairment_items",
            "case__tracked_instruments",
            Prefetch("case__treatments", queryset=Treatment.objects.filter(started)),
            Prefetch(
                "case__assessments",
                queryset=Assessment.objects.filter(as_of)
                .select_related("clinician")
                .prefetch_related(
                    Prefetch("scores", queryset=OutcomeScore.objects.select_related("instrument"))
                ),
            ),
            Prefetch("case__diagnostics", queryset=Diagnostic.objects.filter(as_of)),
            Prefetch("case__consultations", queryset=Consultation.objects.filter(as_of)),
            Prefetch(
                "case__work_statuses",
                queryset=WorkStatus.objects.filter(statuses).prefetch_related("restrictions"),
            ),
        )
        .get(pk=determination.pk)
    )


def _day(value: date | None) -> str:
    return day(value) or "not recorded"


def _outcome(determination: Determination) -> str:
    """The DWC069 outcome line: the MMI date, or "not at MMI, expected on or about …"."""
    if determination.mmi_reached is None:
        return "Not decided yet: the determination has no outcome."
    if determination.mmi_reached:
        kind = determination.get_mmi_type_display() or "MMI"
        unconditional = (
            " MMI does not depend on any future treatment or event."
            if determination.mmi_unconditional
            else ""
        )
        return f"{kind} reached on {_day(determination.mmi_date)}.{unconditional}"
    return f"Not at MMI, expected on or about {_day(determination.expected_mmi_date)}."


def _steps(determination: Determination, trends_reasons: tuple[str, ...]) -> tuple:
    case = determination.case
    saved = {step.slug: step for step in determination.steps.all()}
    assessments = list(case.assessments.all())
    latest = assessments[-1] if assessments else None

    clinical = []
    if latest is not None:
        pain = f"pain {latest.pain_score}/10" if latest.pain_score is not None else "no pain score"
        findings = f"; findings: {latest.findings}" if latest.findings else ""
        clinical.append(
            f"Latest assessment, {_day(latest.date)} by {latest.clinician}: {pain}{findings}"
        )

    therapy = [
        f"{t.get_kind_display()}: {t.description}, {_day(t.start_date)} to "
        f"{_day(t.end_date) if t.end_date else 'ongoing'}"
        + (f", {t.sessions} session{'s' if t.sessions != 1 else ''}" if t.sessions else "")
        + ("" if t.authorised else " (not authorised)")
        for t in case.treatments.all()
    ]
    therapy += list(trends_reasons)

    diagnostics = [
        f"{d.get_kind_display()} of {_day(d.date)}"
        + (f" ({d.body_part})" if d.body_part else "")
        + f": {d.get_stability_display().lower()}"
        + ("; objective finding" if d.is_objective_finding else "")
        for d in case.diagnostics.all()
    ] or ["No diagnostic test on file."]

    consultations = [
        f"{c.get_kind_display()}, {c.consultant}, {_day(c.date)}: {c.get_mmi_opinion_display()}"
        for c in case.consultations.all()
    ] or ["No consultation on file."]

    legal = [
        f"Claim {case.claim_number}"
        + (f", state claim {case.state_claim_number}" if case.state_claim_number else ""),
        f"MMI type: {determination.get_mmi_type_display() or 'not recorded'}.",
    ]
    if determination.statutory_mmi_date:
        legal.append(f"Statutory MMI date: {_day(determination.statutory_mmi_date)}.")

    evidence = {
        "clinical": clinical or ["No assessment on file."],
        "therapy": therapy or ["No treatment on file."],
        "diagnostics": diagnostics,
        "consultations": consultations,
        "legal": legal,
    }
    # The five steps' lines are the page's (determination_lines.py); the outcome step's are
    # the certification fields printed above the narrative.
    return tuple(
        StepNarrative(
            number=step_name(slug).number,
            title=step_name(slug).title,
            answers=tuple(
                (line.label, line.text)
                for line in step_lines(slug, determination, saved.get(slug))
                if line.text
            ),
            evidence=tuple(evidence[slug]),
        )
        for slug in ORDER
        if slug in evidence
    )


def _impairment(determination: Determination) -> tuple[Working | None, str]:
    """The whole person rating worked out from the itemised impairments (docs/domain.md §3)."""
    items = [item.as_rated() for item in determination.impairment_items.all()]
    if not items:
        return None, ""
    try:
        return rate_whole_person(items), ""
    except ImpairmentError as error:
        return None, str(error)


def certification_report(determination: Determination, *, generated_at: datetime):
    """The certification's content; ``determination`` must come from
    ``determination_with_records`` (no query of its own)."""
    case = determination.case
    code = determination.jurisdiction or case.jurisdiction
    try:
        jurisdiction = for_code(code)
        jurisdiction_name, mmi_term, form = (
            jurisdiction.name,
            jurisdiction.mmi_term,
            jurisdiction.report_form,
        )
    except UnknownJurisdiction:
        jurisdiction_name, mmi_term, form = code, "MMI", "Report of maximum medical improvement"
    outcomes = case_outcome_trends(case, chart_id=f"v{determination.version}")
    codes = determination.diagnosis_codes or case.diagnosis_codes
    working, problem = _impairment(determination)
    superseded_by = None
    if determination.status == Determination.Status.SUPERSEDED:
        superseded_by = getattr(determination, "superseded_by", None)
    return CertificationReport(
        header=ReportHeader(
            title=f"MMI certification v{determination.version}",
            claim_number=case.claim_number,
            state_claim_number=case.state_claim_number,
            patient_name=str(case.patient),
            document_id=certification_file_name(determination).removesuffix(".pdf"),
            generated_at=generated_at,
            draft=determination.is_draft,
        ),
        parties=claim_parties(case),
        jurisdiction_name=jurisdiction_name,
        mmi_term=mmi_term,
        report_form=form,
        version=determination.version,
        status=determination.status,
        status_label=determination.get_status_display(),
        certifier=doctor(determination.certifying_clinician),
        certifier_role=determination.get_certifier_role_display(),
        exam_date=determination.exam_date,
        diagnosis_codes=tuple(c.strip() for c in codes.split(",") if c.strip()),
        mmi_reached=determination.mmi_reached,
        mmi_type=determination.get_mmi_type_display(),
        mmi_date=determination.mmi_date,
        expected_mmi_date=determination.expected_mmi_date,
        statutory_mmi_date=determination.statutory_mmi_date,
        outcome=_outcome(determination),
        impairment_rating=determination.impairment_rating,
        impairment_items=tuple(determination.impairment_items.all()),
        impairment_working=working,
        impairment_problem=problem,
        guides_edition=GUIDES_EDITIONS.get(determination.guides_edition, ""),
        impairment=determination.impairment_in_words,
        mmi_unconditional=determination.mmi_unconditional,
        injury_description=case.injury_description,
        steps=_steps(determination, outcomes.verdict.reasons),
        treatments=tuple(case.treatments.all()),
        charts=outcomes.charts,
        diagnostics=tuple(case.diagnostics.all()),
        consultations=tuple(case.consultations.all()),
        records_reviewed=tuple(records_reviewed(determination.steps.all())),
        records_received_date=determination.records_received_date,
        permanent_restrictions=determination.permanent_restrictions,
        future_care=determination.future_care,
        return_to_work=determination.return_to_work,
        plan=determination.plan,
        rationale=determination.rationale,
        signed_at=determination.signed_at,
        supersedes=Supersession(
            determination.supersedes.version, determination.supersedes.signed_at
        )
        if determination.supersedes
        else None,
        superseded_by=Supersession(superseded_by.version, superseded_by.signed_at)
        if superseded_by is not None
        else None,
        rescinded_at=determination.rescinded_at,
        rescind_reason=determination.rescind_reason,
    )
