"""A case as one FHIR R4 Bundle: the EpisodeOfCare and everything that hangs off it.

The mapping is documented in docs/fhir.md. Built from a case whose records are prefetched
(cases.selectors.case_with_records), so the export costs a fixed number of queries.
"""

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from cases.models import (
    Assessment,
    Case,
    CaseStatus,
    Consultation,
    Determination,
    Diagnostic,
    Organisation,
    OutcomeScore,
    Patient,
    Treatment,
    User,
    WorkRestriction,
    WorkStatus,
)
from outside_records.models import OutsideRecord

FHIR_VERSION = "4.0.1"
# Our own code systems and identifier systems live under this base (docs/fhir.md).
LOCAL = "https://mmi-tracker.invalid/fhir"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
HL7 = "http://terminology.hl7.org/CodeSystem"

# Outcome measures that have a LOINC code for their total score (docs/fhir.md lists the
# sources); the others are coded in our own system only.
LOINC_SCORES = {
    "NPRS": ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
    "VAS": ("38214-3", "Pain severity [Score] Visual analog score"),
    "ODI": ("97909-6", "Oswestry disability index score ODI"),
    "NDI": ("82237-9", "Total score [NDI]"),
    "PHQ-9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
}
PAIN_NOW = LOINC_SCORES["NPRS"]

# The document types of outside records that have an obvious LOINC document code (the HL7
# C-CDA document types); the others are told in words only (docs/fhir.md).
LOINC_DOCUMENTS: dict[str, tuple[str, str]] = {
    OutsideRecord.DocumentType.IMAGING: ("18748-4", "Diagnostic imaging study"),
    OutsideRecord.DocumentType.LAB: ("11502-2", "Laboratory report"),
    OutsideRecord.DocumentType.OPERATIVE_NOTE: ("11504-8", "Surgical operation note"),
    OutsideRecord.DocumentType.CONSULTATION: ("11488-4", "Consult note"),
}

# Resource ids are derived from our primary keys, so a record keeps its id across exports.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, LOCAL)

EPISODE_STATUS: dict[str, str] = {CaseStatus.CLOSED: "finished"}
ORGANISATION_TYPE: dict[str, tuple[str, str]] = {
    Organisation.Kind.INSURER: ("ins", "Insurance Company"),
    Organisation.Kind.EMPLOYER: ("bus", "Non-Healthcare Business or Corporation"),
    Organisation.Kind.CLINIC: ("prov", "Healthcare Provider"),
}
REPORT_CATEGORY: dict[str, tuple[str, str]] = {
    Diagnostic.Kind.XRAY: ("RAD", "Radiology"),
    Diagnostic.Kind.MRI: ("RAD", "Radiology"),
    Diagnostic.Kind.CT: ("RAD", "Radiology"),
    Diagnostic.Kind.ULTRASOUND: ("RAD", "Radiology"),
    Diagnostic.Kind.LAB: ("LAB", "Laboratory"),
}
UNITS = {"%": ("%", "%"), "mm": ("mm", "mm")}


def _coding(system: str, code: str, display: str = "") -> dict:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _local(code_system: str, code: str, display: str = "") -> dict:
    return _coding(f"{LOCAL}/CodeSystem/{code_system}", code, display)


def _concept(*codings: dict, text: str = "") -> dict:
    concept: dict = {}
    if codings:
        concept["coding"] = list(codings)
    if text:
        concept["text"] = text
    return concept


def _number(value: Decimal | int) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _instant(moment: datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _day(day: date) -> str:
    return day.isoformat()


class _BundleBuilder:
    def __init__(self) -> None:
        self.entries: list[dict] = []
        self.references: dict[str, str] = {}

    def add(self, key: str, resource: dict, *, match: bool = False) -> str:
        """Add a resource once; return the reference other resources use for it."""
        if key in self.references:
            return self.references[key]
        resource_id = str(uuid.uuid5(_NAMESPACE, key))
        reference = f"urn:uuid:{resource_id}"
        self.entries.append(
            {
                "fullUrl": reference,
                "resource": {"resourceType": key.split("/")[0], "id": resource_id, **resource},
                "search": {"mode": "match" if match else "include"},
            }
        )
        self.references[key] = reference
        return reference

    def ref(self, key: str, display: str = "") -> dict:
        reference = {"reference": self.references[key]}
        if display:
            reference["display"] = display
        return reference


def case_bundle(
    case: Case, *, self_url: str, outside_records: Iterable[tuple[OutsideRecord, str]] = ()
) -> dict:
    """The searchset Bundle of `Case/$everything` for a prefetched case (docs/fhir.md), with
    ``outside_records``: the case's records the user may see, each with the URL of its
    file."""
    bundle = _BundleBuilder()
    now = timezone.now()
    organisations = {org.kind: _organisation(bundle, org) for org in (case.insurer, case.employer)}
    patient = _patient(bundle, case.patient, employer=organisations[Organisation.Kind.EMPLOYER])
    for clinician in case.care_team.all():
        _practitioner(bundle, clinician)
    _practitioner(bundle, case.case_manager)
    conditions = [_condition(bundle, case, code, patient) for code in case.diagnosis_code_list]
    episode = bundle.add(
        f"EpisodeOfCare/{case.pk}",
        _episode(bundle, case, patient, conditions),
        match=True,
    )
    bundle.add(f"Coverage/{case.pk}", _coverage(bundle, case, patient))
    for treatment in case.treatments.all():
        _procedure(bundle, treatment, patient, conditions)
    scores = []
    for assessment in case.assessments.all():
        scores += _assessment(bundle, assessment, patient)
    reports = [
        _diagnostic_report(bundle, diagnostic, patient) for diagnostic in case.diagnostics.all()
    ]
    consultations = [
        _consultation(bundle, consultation, patient) for consultation in case.consultations.all()
    ]
    for work_status in case.work_statuses.all():
        _work_status(bundle, work_status, patient)
    for determination in case.determinations.all():
        if determination.status == Determination.Status.SIGNED:
            _determination(
                bundle,
                determination,
                patient,
                reports=reports,
                scores=scores,
                consultations=consultations,
            )
    for record, url in outside_records:
        _document_reference(bundle, record, patient, episode, url=url)
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": _instant(now)},
        "type": "searchset",
        "timestamp": _instant(now),
        "total": 1,
        "link": [{"relation": "self", "url": self_url}],
        "entry": bundle.entries,
    }


def _organisation(bundle: _BundleBuilder, organisation: Organisation) -> str:
    code, display = ORGANISATION_TYPE[organisation.kind]
    resource = {
        "identifier": [{"system": f"{LOCAL}/organisation", "value": str(organisation.pk)}],
        "active": True,
        "type": [_concept(_coding(f"{HL7}/organization-type", code, display))],
        "name": organisation.name,
    }
    if organisation.phone:
        resource["telecom"] = [{"system": "phone", "value": organisation.phone}]
    if organisation.address:
        resource["address"] = [{"text": organisation.address}]
    return bundle.add(f"Organization/{organisation.pk}", resource)


def _patient(bundle: _BundleBuilder, patient: Patient, *, employer: str) -> str:
    resource = {
        "identifier": [{"system": f"{LOCAL}/patient", "value": str(patient.pk)}],
        "name": [
            {"text": str(patient), "family": patient.last_name, "given": [patient.first_name]}
        ],
        "birthDate": _day(patient.date_of_birth),
        "contact": [
            {
                "relationship": [_concept(_coding(f"{HL7}/v2-0131", "E", "Employer"))],
                "organization": {"reference": employer},
            }
        ],
    }
    telecom = [{"system": "phone", "value": patient.phone}] if patient.phone else []
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    if telecom:
        resource["telecom"] = telecom
    if patient.address:
        resource["address"] = [{"text": patient.address}]
    return bundle.add(f"Patient/{patient.pk}", resource)


def _practitioner(bundle: _BundleBuilder, user: User) -> str:
    resource: dict = {
        "active": user.is_active,
        "name": [{"text": str(user), "family": user.last_name, "given": [user.first_name]}],
    }
    if user.licence_number:
        licence = {
            "system": f"{LOCAL}/licence/{user.licence_jurisdiction or 'unknown'}",
            "value": user.licence_number,
        }
        resource["identifier"] = [licence]
        resource["qualification"] = [
            {
                "identifier": [licence],
                "code": _concept(
                    _local("licence-type", user.licence_type, user.get_licence_type_display()),
                    text=user.get_licence_type_display(),
                ),
            }
        ]
    return bundle.add(f"Practitioner/{user.pk}", resource)


def _condition(bundle: _BundleBuilder, case: Case, code: str, patient: str) -> str:
    site = case.get_body_part_display()
    if case.body_side:
        site = f"{case.get_body_side_display()} {site.lower()}"
    return bundle.add(
        f"Condition/{case.pk}/{code}",
        {
            "clinicalStatus": _concept(
                _coding(
                    f"{HL7}/condition-clinical",
                    "inactive" if case.status == CaseStatus.CLOSED else "active",
                )
            ),
            "verificationStatus": _concept(_coding(f"{HL7}/condition-ver-status", "confirmed")),
            "category": [_concept(_coding(f"{HL7}/condition-category", "encounter-diagnosis"))],
            "code": _concept(_coding(ICD10_CM, code), text=code),
            "bodySite": [_concept(text=site)],
            "subject": {"reference": patient},
            "onsetDateTime": _day(case.date_of_injury),
        },
    )


def _episode(bundle: _BundleBuilder, case: Case, patient: str, conditions: list[str]) -> dict:
    identifiers = [{"system": f"{LOCAL}/claim-number", "value": case.claim_number}]
    if case.state_claim_number:
        identifiers.append(
            {
                "system": f"{LOCAL}/state-claim-number/{case.jurisdiction}",
                "value": case.state_claim_number,
            }
        )
    return {
        "extension": [
            {
                "url": f"{LOCAL}/StructureDefinition/case-status",
                "valueCoding": _local("case-status", case.status, case.get_status_display()),
            },
            {
                "url": f"{LOCAL}/StructureDefinition/jurisdiction",
                "valueCode": case.jurisdiction,
            },
        ],
        "identifier": identifiers,
        "status": EPISODE_STATUS.get(case.status, "active"),
        "type": [
            _concept(_local("episode-type", "workers-compensation", "Workers' compensation claim"))
        ],
        "diagnosis": [
            {"condition": {"reference": condition}, "rank": rank}
            for rank, condition in enumerate(conditions, start=1)
        ],
        "patient": {"reference": patient},
        "period": {"start": _day(case.date_of_injury)},
        "careManager": bundle.ref(f"Practitioner/{case.case_manager_id}"),
    }


def _coverage(bundle: _BundleBuilder, case: Case, patient: str) -> dict:
    return {
        "identifier": [{"system": f"{LOCAL}/claim-number", "value": case.claim_number}],
        "status": "active",
        "type": _concept(
            _coding(f"{HL7}/v3-ActCode", "WCBPOL", "worker's compensation"),
        ),
        "policyHolder": bundle.ref(f"Organization/{case.employer_id}"),
        "beneficiary": {"reference": patient},
        "payor": [bundle.ref(f"Organization/{case.insurer_id}")],
    }


def _procedure(
    bundle: _BundleBuilder, treatment: Treatment, patient: str, conditions: list[str]
) -> str:
    period = {"start": _day(treatment.start_date)}
    if treatment.end_date:
        period["end"] = _day(treatment.end_date)
    facts = [f"{treatment.sessions} sessions"] if treatment.sessions else []
    facts.append("authorised by the carrier" if treatment.authorised else "not authorised")
    notes = [{"text": "; ".join(facts)}]
    if treatment.notes:
        notes.append({"text": treatment.notes})
    resource: dict = {
        "status": "in-progress" if treatment.is_ongoing else "completed",
        "category": _concept(
            _local("treatment-kind", treatment.kind, treatment.get_kind_display())
        ),
        "code": _concept(text=treatment.description),
        "subject": {"reference": patient},
        "performedPeriod": period,
        "reasonReference": [{"reference": condition} for condition in conditions],
        "note": notes,
    }
    if treatment.provider:
        resource["performer"] = [{"actor": {"display": treatment.provider}}]
    return bundle.add(f"Procedure/{treatment.pk}", resource)


def _observation(patient: str, *, code: dict, day: date, performer: dict | None, **value) -> dict:
    resource = {
        "status": "final",
        "code": code,
        "subject": {"reference": patient},
        "effectiveDateTime": _day(day),
        **value,
    }
    if performer:
        resource["performer"] = [performer]
    return resource


SURVEY = [_concept(_coding(f"{HL7}/observation-category", "survey", "Survey"))]
EXAM = [_concept(_coding(f"{HL7}/observation-category", "exam", "Exam"))]


def _assessment(bundle: _BundleBuilder, assessment: Assessment, patient: str) -> list[str]:
    clinician = _practitioner(bundle, assessment.clinician)
    performer = {"reference": clinician}
    references = []
    scores = list(assessment.scores.all())
    # Pain now is the NPRS answer when the NPRS was recorded: one observation of it, the
    # score's, with its own precision.
    pain_as_nprs = any(score.instrument.abbreviation == "NPRS" for score in scores)
    if assessment.pain_score is not None and not pain_as_nprs:
        references.append(
            bundle.add(
                f"Observation/pain/{assessment.pk}",
                _observation(
                    patient,
                    category=SURVEY,
                    code=_concept(_coding(LOINC, *PAIN_NOW), text="Pain now (0–10)"),
                    day=assessment.date,
                    performer=performer,
                    valueQuantity={
                        "value": assessment.pain_score,
                        "unit": "score",
                        "system": UCUM,
                        "code": "{score}",
                    },
                ),
            )
        )
    for score in scores:
        references.append(_score(bundle, assessment, score, patient, performer))
    if assessment.findings:
        bundle.add(
            f"Observation/findings/{assessment.pk}",
            _observation(
                patient,
                category=EXAM,
                code=_concept(_local("observation", "objective-findings", "Objective findings")),
                day=assessment.date,
                performer=performer,
                valueString=assessment.findings,
            ),
        )
    return references


def _score(
    bundle: _BundleBuilder,
    assessment: Assessment,
    score: OutcomeScore,
    patient: str,
    performer: dict,
) -> str:
    instrument = score.instrument
    on_percent_scale = instrument.alternative_maximum and score.scale_max != instrument.maximum
    codings = []
    if instrument.abbreviation in LOINC_SCORES and not on_percent_scale:
        codings.append(_coding(LOINC, *LOINC_SCORES[instrument.abbreviation]))
    codings.append(_local("outcome-measure", instrument.abbreviation, instrument.name))
    unit, ucum = UNITS.get("%" if on_percent_scale else instrument.unit, ("score", "{score}"))
    return bundle.add(
        f"Observation/score/{score.pk}",
        _observation(
            patient,
            category=SURVEY,
            code=_concept(*codings, text=instrument.name),
            day=assessment.date,
            performer=performer,
            valueQuantity={
                "value": _number(score.value),
                "unit": unit,
                "system": UCUM,
                "code": ucum,
            },
            referenceRange=[
                {
                    "low": {"value": _number(score.scale_min)},
                    "high": {"value": _number(score.scale_max)},
                    "text": f"{'higher' if instrument.higher_is_better else 'lower'} is better",
                }
            ],
        ),
    )


def _diagnostic_report(bundle: _BundleBuilder, diagnostic: Diagnostic, patient: str) -> str:
    category, label = REPORT_CATEGORY.get(diagnostic.kind, ("OTH", "Other"))
    conclusions = [
        _concept(
            _local("diagnostic-stability", diagnostic.stability, diagnostic.get_stability_display())
        )
    ]
    if diagnostic.is_objective_finding:
        conclusions.append(
            _concept(_local("diagnostic-finding", "objective-finding", "Objective finding"))
        )
    text = diagnostic.get_kind_display()
    if diagnostic.body_part:
        text = f"{text}, {diagnostic.body_part}"
    return bundle.add(
        f"DiagnosticReport/{diagnostic.pk}",
        {
            "status": "final",
            "category": [_concept(_coding(f"{HL7}/v2-0074", category, label))],
            "code": _concept(
                _local("diagnostic-kind", diagnostic.kind, diagnostic.get_kind_display()),
                text=text,
            ),
            "subject": {"reference": patient},
            "effectiveDateTime": _day(diagnostic.date),
            "conclusion": diagnostic.findings,
            "conclusionCode": conclusions,
        },
    )


def _consultation(bundle: _BundleBuilder, consultation: Consultation, patient: str) -> str:
    description = consultation.get_kind_display()
    if consultation.specialty:
        description = f"{description} ({consultation.specialty})"
    return bundle.add(
        f"ClinicalImpression/consultation/{consultation.pk}",
        {
            "status": "completed",
            "code": _concept(
                _local("consultation-kind", consultation.kind, consultation.get_kind_display())
            ),
            "description": description,
            "subject": {"reference": patient},
            "effectiveDateTime": _day(consultation.date),
            "assessor": {"display": consultation.consultant},
            "summary": consultation.opinion,
            "prognosisCodeableConcept": [
                _concept(
                    _local(
                        "mmi-opinion",
                        consultation.mmi_opinion,
                        consultation.get_mmi_opinion_display(),
                    )
                )
            ],
        },
    )


def _work_status(bundle: _BundleBuilder, work_status: WorkStatus, patient: str) -> str:
    clinician = _practitioner(bundle, work_status.issued_by)
    members = [
        _restriction(bundle, work_status, restriction, patient, clinician)
        for restriction in work_status.restrictions.all()
    ]
    period = {"start": _day(work_status.effective_from)}
    if work_status.expected_through:
        period["end"] = _day(work_status.expected_through)
    components: list[dict] = []
    if work_status.hours_per_day is not None:
        components.append(
            {
                "code": _concept(_local("work-status", "hours-per-day", "Hours of work a day")),
                "valueQuantity": {
                    "value": work_status.hours_per_day,
                    "unit": "h/d",
                    "system": UCUM,
                    "code": "h/d",
                },
            }
        )
    if work_status.medication_effects:
        components.append(
            {
                "code": _concept(_local("work-status", "medication-effects", "Medication effects")),
                "valueString": work_status.medication_effects,
            }
        )
    resource = {
        "status": "final",
        "category": [_concept(_local("observation-category", "work-status", "Work status"))],
        "code": _concept(_local("observation", "work-status", "Work status (DWC073 model)")),
        "subject": {"reference": patient},
        "effectivePeriod": period,
        "issued": _instant(work_status.created_at),
        "performer": [{"reference": clinician}],
        "valueCodeableConcept": _concept(
            _local("work-status-kind", work_status.kind, work_status.get_kind_display())
        ),
    }
    if work_status.explanation:
        resource["note"] = [{"text": work_status.explanation}]
    if components:
        resource["component"] = components
    if members:
        resource["hasMember"] = [{"reference": member} for member in members]
    return bundle.add(f"Observation/work-status/{work_status.pk}", resource)


def _restriction(
    bundle: _BundleBuilder,
    work_status: WorkStatus,
    restriction: WorkRestriction,
    patient: str,
    clinician: str,
) -> str:
    components = [
        {
            "code": _concept(_local("work-restriction", "activity", "Activity")),
            "valueString": restriction.activity,
        },
        {
            "code": _concept(_local("work-restriction", "permanent", "Permanent")),
            "valueBoolean": restriction.is_permanent,
        },
    ]
    if restriction.max_pounds is not None:
        components.append(
            {
                "code": _concept(_local("work-restriction", "max-weight", "Most weight")),
                "valueQuantity": {
                    "value": restriction.max_pounds,
                    "unit": "lb",
                    "system": UCUM,
                    "code": "[lb_av]",
                },
            }
        )
    if restriction.max_hours_per_day is not None:
        components.append(
            {
                "code": _concept(_local("work-restriction", "max-hours", "Most hours a day")),
                "valueQuantity": {
                    "value": _number(restriction.max_hours_per_day),
                    "unit": "h/d",
                    "system": UCUM,
                    "code": "h/d",
                },
            }
        )
    if restriction.frequency:
        components.append(
            {
                "code": _concept(_local("work-restriction", "frequency", "Frequency")),
                "valueCodeableConcept": _concept(
                    _local(
                        "restriction-frequency",
                        restriction.frequency,
                        restriction.get_frequency_display(),
                    )
                ),
            }
        )
    resource = {
        "status": "final",
        "category": [_concept(_local("observation-category", "work-status", "Work status"))],
        "code": _concept(
            _local(
                "restriction-category", restriction.category, restriction.get_category_display()
            ),
            text="Work restriction",
        ),
        "subject": {"reference": patient},
        "effectiveDateTime": _day(work_status.effective_from),
        "performer": [{"reference": clinician}],
        "valueString": str(restriction),
        "component": components,
    }
    if restriction.body_part:
        site = restriction.get_body_part_display()
        if restriction.side:
            site = f"{restriction.get_side_display()} {site.lower()}"
        resource["bodySite"] = _concept(text=site)
    if restriction.notes:
        resource["note"] = [{"text": restriction.notes}]
    return bundle.add(f"Observation/restriction/{restriction.pk}", resource)


def _determination(
    bundle: _BundleBuilder,
    determination: Determination,
    patient: str,
    *,
    reports: list[str],
    scores: list[str],
    consultations: list[str],
) -> str:
    certifier = _practitioner(bundle, determination.certifying_clinician)
    performer = {"reference": certifier}
    signed_at = determination.signed_at
    assert signed_at is not None  # only signed determinations are exported (case_bundle)
    exam_date = determination.exam_date or signed_at.date()
    findings = []
    mmi_day = (
        determination.mmi_date if determination.mmi_reached else determination.expected_mmi_date
    )
    if mmi_day:
        code = "mmi-date" if determination.mmi_reached else "expected-mmi-date"
        display = (
            "Date of maximum medical improvement"
            if determination.mmi_reached
            else "Expected date of maximum medical improvement"
        )
        observation = _observation(
            patient,
            code=_concept(_local("mmi", code, display)),
            day=exam_date,
            performer=performer,
            issued=_instant(signed_at),
            valueDateTime=_day(mmi_day),
        )
        if determination.mmi_type:
            observation["method"] = _concept(
                _local("mmi-type", determination.mmi_type, determination.get_mmi_type_display())
            )
        findings.append(bundle.add(f"Observation/mmi/{determination.pk}", observation))
    if determination.impairment_rating is not None:
        observation = _observation(
            patient,
            code=_concept(
                _local("mmi", "whole-person-impairment", "Whole person impairment rating")
            ),
            day=determination.mmi_date or exam_date,
            performer=performer,
            issued=_instant(signed_at),
            valueQuantity={
                "value": determination.impairment_rating,
                "unit": "%",
                "system": UCUM,
                "code": "%",
            },
        )
        if determination.guides_edition:
            observation["method"] = _concept(
                text=f"AMA Guides to the Evaluation of Permanent Impairment, "
                f"{determination.guides_edition} edition"
            )
        findings.append(bundle.add(f"Observation/impairment/{determination.pk}", observation))
    case = determination.case
    problems = [
        _condition(bundle, case, code, patient)
        for code in determination.diagnosis_codes.split(",")
        if code
    ]
    investigations = [
        {"code": _concept(text=title), "item": [{"reference": item} for item in items]}
        for title, items in (("Diagnostic testing", reports), ("Outcome measures", scores))
        if items
    ]
    notes = [
        {"text": f"{label}: {text}"}
        for label, text in (
            ("Permanent restrictions", determination.permanent_restrictions),
            ("Return to work", determination.return_to_work),
            ("Future and maintenance care", determination.future_care),
        )
        if text
    ]
    role = determination.get_certifier_role_display() if determination.certifier_role else ""
    resource = {
        "identifier": [
            {
                "system": f"{LOCAL}/determination",
                "value": f"{case.claim_number}-v{determination.version}",
            }
        ],
        "status": "completed",
        "code": _concept(_local("impression", "mmi-determination", "MMI determination")),
        "description": f"MMI determination v{determination.version}"
        + (f", certified by the {role.lower()}" if role else ""),
        "subject": {"reference": patient},
        "effectiveDateTime": _day(exam_date),
        "date": _instant(signed_at),
        "assessor": performer,
        "summary": determination.rationale or "",
        "finding": [{"itemReference": {"reference": finding}} for finding in findings],
    }
    if problems:
        resource["problem"] = [{"reference": problem} for problem in problems]
    if investigations:
        resource["investigation"] = investigations
    if consultations:
        resource["supportingInfo"] = [{"reference": item} for item in consultations]
    if notes:
        resource["note"] = notes
    if not resource["summary"]:
        del resource["summary"]
    if not resource["finding"]:
        del resource["finding"]
    return bundle.add(f"ClinicalImpression/determination/{determination.pk}", resource)


def _document_reference(
    bundle: _BundleBuilder, record: OutsideRecord, patient: str, episode: str, *, url: str
) -> str:
    kind = record.get_document_type_display()
    loinc = LOINC_DOCUMENTS.get(record.document_type)
    received = f"Received {_day(record.received_on)} from {record.received_from}"
    if record.is_withdrawn:
        received += f"; withdrawn: {record.withdrawal_reason}"
    context: dict = {"encounter": [{"reference": episode}]}
    if record.service_date:
        context["period"] = {"start": _day(record.service_date), "end": _day(record.service_date)}
    resource: dict = {
        "identifier": [{"system": f"{LOCAL}/outside-record", "value": str(record.pk)}],
        # A record withdrawn as sent by mistake stays listed, as FHIR marks such an entry.
        "status": "entered-in-error" if record.is_withdrawn else "current",
        "type": _concept(_coding(LOINC, *loinc), text=kind) if loinc else _concept(text=kind),
        "subject": {"reference": patient},
        "date": _instant(record.uploaded_at),
        "description": received,
        "content": [
            {
                # No hash: FHIR's is the SHA-1 of the data, and we keep the SHA-256 of the
                # file as it was sent, not of the PDF served.
                "attachment": {
                    "contentType": "application/pdf",
                    "url": url,
                    "size": record.stored_file.size,
                    "title": record.original_name,
                }
            }
        ],
        "context": context,
    }
    if record.author:
        resource["author"] = [{"display": record.author}]
    if record.clinical_only:
        resource["securityLabel"] = [
            _concept(_coding(f"{HL7}/v3-Confidentiality", "R", "restricted"))
        ]
    return bundle.add(f"DocumentReference/{record.pk}", resource)


# Our error codes (api/errors.py) as FHIR issue types.
ISSUE_TYPES = {
    "not_authenticated": "login",
    "authentication_failed": "login",
    "permission_denied": "forbidden",
    "not_found": "not-found",
    "throttled": "throttled",
    "invalid": "invalid",
}


def operation_outcome(code: str, message: str) -> dict:
    """An API error as the FHIR OperationOutcome a FHIR client expects."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": ISSUE_TYPES.get(code, "processing"),
                "diagnostics": message,
            }
        ],
    }
