"""The five steps of an MMI determination and its outcome, as step classes
(docs/architecture.md §7).

One generic view walks ``STEPS`` in order. Each step knows its form, what it pre-fills from
the case, the evidence shown beside the form, when it is complete, what it saves in
Determination columns and in its DeterminationStep answers, and the lines it contributes
to the report. ``review`` gathers the validity checklist shown before signing.

Steps read the case's records from prefetched relations: load the case with
``load_case_records`` first, so every page makes a fixed number of queries.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils import timezone

from .domain import impairment
from .domain.jurisdictions import (
    GUIDES_EDITIONS,
    Jurisdiction,
    UnknownJurisdiction,
    for_code,
)
from .domain.outcomes import format_decimal
from .domain.validity import (
    CertificationFacts,
    Checklist,
    ConsistencyWarning,
    check_certification,
    consistency_warnings,
)
from .forms.determinations import (
    ClinicalForm,
    ConsultationsForm,
    DiagnosticsForm,
    LegalForm,
    OutcomeForm,
    StepForm,
    TherapyForm,
    day,
)
from .models import (
    Case,
    Consultation,
    Determination,
    DeterminationStep,
    Diagnostic,
    Role,
)
from .outcome_selectors import OUTCOME_PREFETCHES, CaseOutcomes, case_outcome_trends

Slug = DeterminationStep.Slug


def load_case_records(case: Case) -> Case:
    """Prefetch everything the steps read onto ``case`` (a fixed number of queries)."""
    prefetch_related_objects(
        [case],
        *OUTCOME_PREFETCHES,
        "disability_periods",
        "diagnostics",
        "consultations",
        "care_team",
    )
    return case


def jurisdiction_of(code: str) -> Jurisdiction | None:
    try:
        return for_code(code)
    except UnknownJurisdiction:
        return None


@dataclass(frozen=True)
class ReportLine:
    """One labelled line a step contributes to the determination page and the report."""

    label: str
    text: str


def _answer(saved: DeterminationStep | None, key: str, default: Any = "") -> Any:
    return saved.answers.get(key, default) if saved is not None else default


def _day(value: date | None) -> str:
    return day(value) if value else ""


def _yes_no(value: str) -> str:
    return {"yes": "Yes", "no": "No"}.get(value, "—")


class Step:
    """What every step does; subclasses fill in their form, columns and evidence."""

    slug: str
    form_class: type[StepForm]
    evidence_template: str
    # Determination fields this step writes; the rest of its form goes to the answers.
    columns: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return Slug(self.slug).label

    @property
    def number(self) -> int:
        return STEPS.index(self) + 1

    @property
    def heading(self) -> str:
        return f"Step {self.number}: {self.title}" if self.number <= 5 else self.title

    def prefill(self, case: Case, determination: Determination) -> dict:
        """Initial values from the case record, for a step never saved."""
        return {}

    def initial(self, determination: Determination, saved: DeterminationStep | None) -> dict:
        """The form's initial values: what was saved, or what the case suggests."""
        if saved is None:
            values = self.prefill(determination.case, determination)
        else:
            values = {name: getattr(determination, name) for name in self.columns}
            values.update(saved.answers)
        values["revision"] = saved.revision if saved is not None else 0
        return values

    def form_kwargs(self, determination: Determination, case: Case) -> dict:
        return {}

    def form(self, data, *, determination: Determination, case: Case, saved) -> StepForm:
        return self.form_class(
            data,
            determination=determination,
            case=case,
            initial=self.initial(determination, saved),
            **self.form_kwargs(determination, case),
        )

    def values(self, form: StepForm, case: Case) -> tuple[dict, dict]:
        """(Determination columns, step answers) from a valid form."""
        cleaned = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        columns = {name: cleaned.pop(name) for name in self.columns if name in cleaned}
        return columns, cleaned

    def evidence(self, determination: Determination, case: Case) -> dict:
        """What the page shows beside the form."""
        return {}

    def service_kwargs(self, form: StepForm) -> dict:
        """What else determination_save_step takes from this step's valid form."""
        return {}

    def is_complete(
        self, determination: Determination, saved: DeterminationStep | None, case: Case
    ) -> bool:
        return saved is not None

    def report_lines(
        self, determination: Determination, saved: DeterminationStep | None
    ) -> list[ReportLine]:
        raise NotImplementedError


class ClinicalStep(Step):
    slug = Slug.CLINICAL
    form_class = ClinicalForm
    evidence_template = "cases/determinations/evidence/clinical.html"
    columns = ("exam_date", "records_received_date", "diagnosis_codes")

    def prefill(self, case, determination):
        assessments = list(case.assessments.all())
        latest = assessments[-1] if assessments else None
        return {
            "exam_date": latest.date if latest else None,
            "diagnosis_codes": ", ".join(case.diagnosis_code_list),
            "history": case.injury_description,
            "objective_findings": latest.findings if latest else "",
        }

    def initial(self, determination, saved):
        values = super().initial(determination, saved)
        if saved is not None:
            values["diagnosis_codes"] = ", ".join(
                code for code in determination.diagnosis_codes.split(",") if code
            )
        return values

    def evidence(self, determination, case):
        return {"assessments": list(case.assessments.all())[-3:]}

    def is_complete(self, determination, saved, case):
        return saved is not None and determination.exam_date is not None

    def report_lines(self, determination, saved):
        readiness = {
            value: label
            for value, label in ClinicalForm.base_fields["psychological_readiness"].choices
            if value  # the empty choice is the form's placeholder, not an answer
        }
        return [
            ReportLine(
                "Exam date", day(determination.exam_date) if determination.exam_date else ""
            ),
            ReportLine(
                "All medical records received on", _day(determination.records_received_date)
            ),
            ReportLine("Diagnosis (ICD-10)", determination.diagnosis_codes.replace(",", ", ")),
            ReportLine("History", _answer(saved, "history")),
            ReportLine("Current complaints", _answer(saved, "complaints")),
            ReportLine("Examination findings", _answer(saved, "objective_findings")),
            ReportLine("Functional status", _answer(saved, "functional_status")),
            ReportLine(
                "Psychological readiness to return to work",
                " — ".join(
                    part
                    for part in (
                        readiness.get(_answer(saved, "psychological_readiness"), ""),
                        _answer(saved, "psychological_notes"),
                    )
                    if part
                ),
            ),
        ]


@dataclass(frozen=True)
class MeasureRow:
    """One outcome measure in the therapy step's table."""

    abbreviation: str
    name: str
    baseline: str
    latest: str
    change: str
    mcid: str
    improved: bool | None


def _therapy_evidence(case: Case) -> dict:
    outcomes: CaseOutcomes = case_outcome_trends(case, chart_id="step")
    rows = []
    for trend in outcomes.trends:
        spec = trend.spec
        improvement = trend.improvement
        rows.append(
            MeasureRow(
                abbreviation=spec.abbreviation,
                name=spec.name,
                baseline=format_decimal(trend.baseline.value) if trend.baseline else "—",
                latest=format_decimal(trend.latest.value) if trend.latest else "—",
                change=_change(improvement),
                mcid=spec.mcid_text,
                improved=trend.reached_mcid if trend.latest is not trend.baseline else None,
            )
        )
    authorised_ongoing = [
        treatment
        for treatment in case.treatments.all()
        if treatment.authorised and treatment.is_ongoing
    ]
    # docs/domain.md §6: still-authorised treatment that is producing improvement argues against
    # MMI. "Producing improvement": the plateau rule finds a measure still improving over
    # the last 8 weeks, by its MCID or on a trend projecting its MCID (docs/domain.md §5).
    still_improving = [
        trend.spec.abbreviation for trend in outcomes.trends if trend.plateau.improving
    ]
    return {
        "treatments": list(case.treatments.all()),
        "outcomes": outcomes,
        "measure_rows": rows,
        "authorised_ongoing": authorised_ongoing,
        "still_improving": still_improving,
        "improving_flag": bool(authorised_ongoing and still_improving),
        # docs/domain.md §5: MMI means stable; a deteriorating measure needs attention.
        "deteriorating": outcomes.verdict.deteriorating,
    }


def _change(improvement) -> str:
    if improvement is None:
        return "—"
    if improvement > 0:
        return f"{format_decimal(improvement)} better"
    if improvement < 0:
        return f"{format_decimal(-improvement)} worse"
    return "no change"


class TherapyStep(Step):
    slug = Slug.THERAPY
    form_class = TherapyForm
    evidence_template = "cases/determinations/evidence/therapy.html"

    def prefill(self, case, determination):
        flagged = _therapy_evidence(case)["improving_flag"]
        return {"improving_under_authorised_treatment": "yes" if flagged else "no"}

    def evidence(self, determination, case):
        return _therapy_evidence(case)

    def values(self, form, case):
        columns, answers = super().values(form, case)
        # The plateau verdict as it stood when the step was saved goes into the report.
        answers["plateau_reasons"] = list(case_outcome_trends(case).verdict.reasons)
        return columns, answers

    def initial(self, determination, saved):
        values = super().initial(determination, saved)
        values.pop("plateau_reasons", None)
        return values

    def report_lines(self, determination, saved):
        return [
            ReportLine("Interpretation", _answer(saved, "interpretation")),
            ReportLine(
                "Authorised treatment still producing improvement",
                _yes_no(_answer(saved, "improving_under_authorised_treatment")),
            ),
            ReportLine("Plateau check", " ".join(_answer(saved, "plateau_reasons", []))),
        ]


class DiagnosticsStep(Step):
    slug = Slug.DIAGNOSTICS
    form_class = DiagnosticsForm
    evidence_template = "cases/determinations/evidence/diagnostics.html"

    def form_kwargs(self, determination, case):
        return {"diagnostics": list(case.diagnostics.all())}

    def prefill(self, case, determination):
        values = {
            DiagnosticsForm.field_name(d): d.stability
            for d in case.diagnostics.all()
            if d.stability != Diagnostic.Stability.NOT_COMPARED
        }
        values["objective_findings"] = "\n".join(
            d.findings for d in case.diagnostics.all() if d.is_objective_finding
        )
        return values

    def initial(self, determination, saved):
        values = super().initial(determination, saved)
        for review in values.pop("reviews", []):
            values[f"diagnostic_{review['diagnostic']}"] = review["result"]
        return values

    def values(self, form, case):
        cleaned = form.cleaned_data
        reviews = [
            {
                "diagnostic": diagnostic.pk,
                "label": DiagnosticsForm.label(diagnostic),
                "result": cleaned[DiagnosticsForm.field_name(diagnostic)],
            }
            for diagnostic in form.diagnostics
        ]
        return {}, {
            "reviews": reviews,
            "objective_findings": cleaned["objective_findings"],
            "comments": cleaned["comments"],
        }

    def evidence(self, determination, case):
        return {"diagnostics": list(case.diagnostics.all())}

    def is_complete(self, determination, saved, case):
        # A test added after the step was saved has not been reviewed yet.
        reviewed = {review["diagnostic"] for review in _answer(saved, "reviews", [])}
        return saved is not None and all(d.pk in reviewed for d in case.diagnostics.all())

    def report_lines(self, determination, saved):
        results = {"stable": "reviewed, stable", "changed": "reviewed, changed"}
        lines = [
            ReportLine(review["label"], results.get(review["result"], review["result"]))
            for review in _answer(saved, "reviews", [])
        ]
        if saved is not None and not lines:
            lines.append(ReportLine("Diagnostic tests", "None on file."))
        return [
            *lines,
            ReportLine("Objective findings", _answer(saved, "objective_findings")),
            ReportLine("Comments", _answer(saved, "comments")),
        ]


class ConsultationsStep(Step):
    slug = Slug.CONSULTATIONS
    form_class = ConsultationsForm
    evidence_template = "cases/determinations/evidence/consultations.html"

    def form_kwargs(self, determination, case):
        return {"consultations": list(case.consultations.all())}

    def prefill(self, case, determination):
        values = {}
        designated = False
        for consultation in case.consultations.all():
            values[ConsultationsForm.field_names(consultation)[0]] = consultation.mmi_opinion
            designated |= consultation.kind == Consultation.Kind.DESIGNATED_DOCTOR
        values["designated_doctor_examined"] = "yes" if designated else None
        return values

    def initial(self, determination, saved):
        values = super().initial(determination, saved)
        for opinion in values.pop("opinions", []):
            values[f"consultation_{opinion['consultation']}"] = opinion["opinion"]
            values[f"consultation_{opinion['consultation']}_why"] = opinion["why"]
        return values

    def values(self, form, case):
        cleaned = form.cleaned_data
        opinions = []
        for consultation in form.consultations:
            opinion, why = ConsultationsForm.field_names(consultation)
            opinions.append(
                {
                    "consultation": consultation.pk,
                    "label": ConsultationsForm.label(consultation),
                    "opinion": cleaned[opinion],
                    "why": cleaned[why],
                }
            )
        return {}, {
            "opinions": opinions,
            "designated_doctor_examined": cleaned["designated_doctor_examined"],
            "comments": cleaned["comments"],
        }

    def evidence(self, determination, case):
        return {"consultations": list(case.consultations.all())}

    def is_complete(self, determination, saved, case):
        answered = {opinion["consultation"] for opinion in _answer(saved, "opinions", [])}
        return saved is not None and all(c.pk in answered for c in case.consultations.all())

    def report_lines(self, determination, saved):
        words = dict(Consultation.MMIOpinion.choices)
        lines = [
            ReportLine(
                opinion["label"],
                " — ".join(p for p in (words.get(opinion["opinion"], ""), opinion["why"]) if p),
            )
            for opinion in _answer(saved, "opinions", [])
        ]
        if saved is not None and not lines:
            lines.append(ReportLine("Consultations", "None on file."))
        return [
            *lines,
            ReportLine(
                "Designated doctor has examined",
                _yes_no(_answer(saved, "designated_doctor_examined")),
            ),
            ReportLine("Comments", _answer(saved, "comments")),
        ]


class LegalStep(Step):
    slug = Slug.LEGAL
    form_class = LegalForm
    evidence_template = "cases/determinations/evidence/legal.html"
    columns = (
        "certifying_clinician",
        "certifier_role",
        "mmi_type",
        "guides_edition",
    )

    def prefill(self, case, determination):
        rules = jurisdiction_of(case.jurisdiction)
        return {
            "certifying_clinician": determination.certifying_clinician_id,
            "certifier_role": Determination.CertifierRole.TREATING,
            "carrier_claim_number": case.claim_number,
            "state_claim_number": case.state_claim_number,
            "guides_edition": rules.default_guides_edition if rules else "",
        }

    def initial(self, determination, saved):
        values = super().initial(determination, saved)
        if saved is not None:
            values["certifying_clinician"] = determination.certifying_clinician_id
        return values

    def form_kwargs(self, determination, case):
        statutory = case.statutory_mmi()
        return {"statutory_mmi_date": statutory.mmi_date if statutory else None}

    def values(self, form, case):
        columns, answers = super().values(form, case)
        statutory = case.statutory_mmi()
        columns["jurisdiction"] = case.jurisdiction
        columns["statutory_mmi_date"] = statutory.mmi_date if statutory else None
        return columns, answers

    def evidence(self, determination, case):
        rules = jurisdiction_of(case.jurisdiction)
        return {
            "rules": rules,
            "default_edition": GUIDES_EDITIONS[rules.default_guides_edition] if rules else None,
            "accepted_editions": [GUIDES_EDITIONS[code] for code in rules.accepted_guides_editions]
            if rules
            else [],
            "statutory": case.statutory_mmi(),
        }

    def is_complete(self, determination, saved, case):
        return saved is not None and bool(determination.certifier_role)

    def report_lines(self, determination, saved):
        rules = jurisdiction_of(determination.jurisdiction)
        clinician = determination.certifying_clinician
        licence = " ".join(
            part
            for part in (
                clinician.licence_type,
                clinician.licence_number,
                clinician.licence_jurisdiction and f"({clinician.licence_jurisdiction})",
            )
            if part
        )
        return [
            ReportLine("Jurisdiction", rules.name if rules else determination.jurisdiction),
            ReportLine(
                "Certifying doctor",
                f"{clinician}, licence {licence}" if licence else str(clinician),
            ),
            ReportLine("Role", determination.get_certifier_role_display()),
            ReportLine("Clinical or statutory MMI", determination.get_mmi_type_display()),
            ReportLine(
                "Statutory MMI date",
                _day(determination.statutory_mmi_date),
            ),
            ReportLine(
                "Claim numbers",
                " · ".join(
                    part
                    for part in (
                        _answer(saved, "carrier_claim_number")
                        and f"carrier {_answer(saved, 'carrier_claim_number')}",
                        _answer(saved, "state_claim_number")
                        and f"state {_answer(saved, 'state_claim_number')}",
                    )
                    if part
                ),
            ),
            ReportLine("Guides edition", GUIDES_EDITIONS.get(determination.guides_edition, "")),
        ]


class OutcomeStep(Step):
    slug = Slug.OUTCOME
    form_class = OutcomeForm
    evidence_template = "cases/determinations/evidence/outcome.html"
    columns = (
        "mmi_reached",
        "mmi_date",
        "impairment_finding",
        "impairment_rating",
        "mmi_unconditional",
        "permanent_restrictions",
        "future_care",
        "return_to_work",
        "expected_mmi_date",
        "plan",
        "rationale",
    )

    def prefill(self, case, determination):
        statuses = list(case.work_statuses.all())
        permanent = (
            [r for r in statuses[-1].restrictions.all() if r.is_permanent] if statuses else []
        )
        return {"permanent_restrictions": "\n".join(str(r) for r in permanent)}

    def initial(self, determination, saved):
        values = super().initial(determination, saved)
        if saved is not None:
            values["mmi_reached"] = {True: "yes", False: "no"}.get(determination.mmi_reached)
        return values

    def values(self, form, case):
        columns, answers = super().values(form, case)
        reached = columns["mmi_reached"] == "yes"
        columns["mmi_reached"] = reached
        # Only the half of the form that matches the answer is kept, but a rating typed
        # with "not at MMI" is kept for the rules to refuse, never dropped unseen. (A radio
        # button, once chosen, cannot be cleared, so the finding's choice is dropped.)
        dropped = OutcomeForm.NOT_REACHED_ONLY if reached else OutcomeForm.REACHED_ONLY
        for name in dropped:
            if name != "impairment_rating":
                columns[name] = Determination._meta.get_field(name).get_default()
        return columns, answers

    def evidence(self, determination, case):
        return {"statutory": case.statutory_mmi()}

    def service_kwargs(self, form):
        return {"impairment_items": form.rated_items()}

    def is_complete(self, determination, saved, case):
        return saved is not None and determination.mmi_reached is not None

    def report_lines(self, determination, saved):
        if determination.mmi_reached is None:
            return []
        if not determination.mmi_reached:
            expected = determination.expected_mmi_date
            return [
                ReportLine(
                    "Outcome",
                    f"Not at MMI, expected on or about {day(expected)}"
                    if expected
                    else "Not at MMI",
                ),
                ReportLine("Plan to reach MMI", determination.plan),
                ReportLine("Rationale", determination.rationale),
            ]
        return [
            ReportLine(
                "Outcome",
                f"At MMI on {_day(determination.mmi_date)}".removesuffix(" on "),
            ),
            ReportLine("Impairment", determination.impairment_in_words),
            ReportLine(
                "Conditions",
                "MMI does not depend on any future treatment or event."
                if determination.mmi_unconditional
                else "",
            ),
            *_impairment_lines(determination),
            ReportLine("Permanent restrictions", determination.permanent_restrictions),
            ReportLine("Future and maintenance care", determination.future_care),
            ReportLine("Return to work", determination.return_to_work),
            ReportLine("Rationale", determination.rationale),
        ]


def _impairment_lines(determination: Determination) -> list[ReportLine]:
    """The impairment items and the working from them to the whole person rating."""
    items = determination.impairment_items.all()
    working = items.working()
    if working is None:
        return []
    return [
        ReportLine(
            "Impairment items",
            "\n".join(
                f"{item} ({item.method}), {item.get_mode_display().lower()}" for item in items
            ),
        ),
        ReportLine(
            "How the rating was worked out",
            "\n".join(f"{number}. {step.text}" for number, step in enumerate(working.steps, 1)),
        ),
    ]


STEPS: tuple[Step, ...] = (
    ClinicalStep(),
    TherapyStep(),
    DiagnosticsStep(),
    ConsultationsStep(),
    LegalStep(),
    OutcomeStep(),
)
STEPS_BY_SLUG: Mapping[str, Step] = {step.slug: step for step in STEPS}


def step_after(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


@dataclass(frozen=True)
class NavigatorEntry:
    step: Step
    complete: bool
    current: bool


def navigator(
    determination: Determination,
    saved: Mapping[str, DeterminationStep],
    case: Case,
    current: str = "",
) -> list[NavigatorEntry]:
    """Every step with whether it is complete, for the step navigator."""
    return [
        NavigatorEntry(
            step=step,
            complete=step.is_complete(determination, saved.get(step.slug), case),
            current=step.slug == current,
        )
        for step in STEPS
    ]


@dataclass(frozen=True)
class Review:
    """What stands between a draft and its signature."""

    incomplete: tuple[Step, ...]
    checklist: Checklist
    warnings: tuple[ConsistencyWarning, ...]
    statutory_mmi_date: date | None
    certification_due: date | None

    @property
    def may_sign(self) -> bool:
        return not self.incomplete and self.checklist.ok


def certification_facts(
    determination: Determination,
    saved: Mapping[str, DeterminationStep],
    case: Case,
    *,
    items: Sequence[impairment.ImpairmentItem] | None = None,
) -> CertificationFacts:
    """The facts the validity rules judge, from a determination (saved or about to be) and
    the case loaded with ``load_case_records``. ``items``: the impairment items about to be
    saved; the determination's own otherwise."""
    statutory = case.statutory_mmi()
    rules = jurisdiction_of(determination.jurisdiction or case.jurisdiction)
    clinician = determination.certifying_clinician
    on_care_team = any(member.pk == clinician.pk for member in case.care_team.all())
    # Permanent restrictions should rest on an objective finding from diagnostic testing
    # (step 3); a rating on one anywhere, the examination of step 1 included (Texas §408.122).
    has_diagnostic_objective_findings = bool(
        _answer(saved.get(Slug.DIAGNOSTICS), "objective_findings").strip()
    ) or any(d.is_objective_finding for d in case.diagnostics.all())
    has_objective_findings = has_diagnostic_objective_findings or bool(
        _answer(saved.get(Slug.CLINICAL), "objective_findings").strip()
    )
    if items is None:
        items = [item.as_rated() for item in determination.impairment_items.all()]
    exam = determination.exam_date
    return CertificationFacts(
        date_of_injury=case.date_of_injury,
        jurisdiction_name=rules.name if rules else case.jurisdiction,
        exam_date=exam,
        mmi_reached=bool(determination.mmi_reached),
        mmi_date=determination.mmi_date,
        expected_mmi_date=determination.expected_mmi_date,
        statutory_mmi_date=statutory.mmi_date if statutory else None,
        mmi_type=determination.mmi_type or None,
        impairment_finding=determination.impairment_finding or None,
        impairment_rating=determination.impairment_rating,
        impairment_items=tuple(items),
        mmi_unconditional=determination.mmi_unconditional,
        rationale=determination.rationale,
        certifier_may_certify=(
            clinician.role == Role.CLINICIAN
            and clinician.is_active
            and clinician.may_certify_mmi
            and on_care_team
        ),
        certifier_may_rate=clinician.may_rate_impairment,
        certifier_role=determination.certifier_role,
        certifier_licence_jurisdiction=clinician.licence_jurisdiction,
        case_jurisdiction=case.jurisdiction,
        guides_edition=determination.guides_edition,
        accepted_guides_editions=rules.accepted_guides_editions if rules else (),
        psychiatric_rating_cap=rules.psychiatric_rating_cap if rules else None,
        certification_due=(
            rules.certification_due(exam, determination.records_received_date)
            if rules and exam
            else None
        ),
        today=timezone.localdate(),
        has_permanent_restrictions=bool(determination.permanent_restrictions.strip()),
        has_objective_findings=has_objective_findings,
        has_diagnostic_objective_findings=has_diagnostic_objective_findings,
    )


def review(
    determination: Determination, saved: Mapping[str, DeterminationStep], case: Case
) -> Review:
    """The validity checklist (docs/domain.md §2) and the warnings of a draft, from the case
    loaded with ``load_case_records``. Signing is refused unless ``may_sign``."""
    facts = certification_facts(determination, saved, case)
    warnings = list(consistency_warnings(facts))
    improving = _answer(saved.get(Slug.THERAPY), "improving_under_authorised_treatment")
    if determination.mmi_reached and improving == "yes":
        warnings.append(
            ConsistencyWarning(
                code="improving_under_authorised_treatment",
                message="Step 2 says authorised treatment is still producing improvement, "
                "which argues against MMI. Check the outcome or the answer.",
            )
        )
    incomplete = tuple(
        step for step in STEPS if not step.is_complete(determination, saved.get(step.slug), case)
    )
    return Review(
        incomplete=incomplete,
        checklist=check_certification(facts),
        warnings=tuple(warnings),
        statutory_mmi_date=facts.statutory_mmi_date,
        certification_due=facts.certification_due,
    )


def saved_steps(determination: Determination) -> dict[str, DeterminationStep]:
    """The determination's saved steps by slug (one query)."""
    return {row.slug: row for row in determination.steps.all()}
