"""The five steps of an MMI determination and its outcome, as step classes
(docs/architecture.md §7).

One generic view walks ``STEPS`` in order. Each step knows its form, what it pre-fills from
the case, the evidence shown beside the form, how its form's values split between
Determination columns and DeterminationStep answers, and the lines it contributes to the
report. When a step is complete and whether the draft may be signed is
``readiness``'s, which the services call without any of this.

Steps read the case's records from prefetched relations: load the case with
``readiness.load_case_records`` first, so every page makes a fixed number of queries.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from outside_records.models import OutsideRecord, RecordCitation

from ..domain.jurisdictions import GUIDES_EDITIONS
from ..domain.outcomes import format_decimal
from ..forms.determinations import (
    CitationsForm,
    ClinicalForm,
    ConsultationsForm,
    DiagnosticsForm,
    LegalForm,
    OutcomeForm,
    StepForm,
    TherapyForm,
)
from ..models import Case, Consultation, Determination, DeterminationStep, Diagnostic
from ..selectors.outcomes import CaseOutcomes, case_outcome_trends
from . import readiness
from .readiness import RECEIVED_DATE_FILLED, jurisdiction_of

Slug = DeterminationStep.Slug


class Step:
    """What every step does; subclasses fill in their form, columns and evidence."""

    slug: str
    form_class: type[StepForm]
    evidence_template: str
    # Whether the page links to the case's upload of outside records (steps 1, 3 and 4, where
    # imaging, reports and specialists' letters are read).
    offers_record_upload = False

    @property
    def columns(self) -> tuple[str, ...]:
        """Determination fields this step writes; the rest of its form goes to the answers."""
        return readiness.COLUMNS[self.slug]

    @property
    def title(self) -> str:
        return readiness.step_name(self.slug).title

    @property
    def number(self) -> int:
        return readiness.step_name(self.slug).number

    @property
    def heading(self) -> str:
        return readiness.step_name(self.slug).heading

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

    def citations_form(
        self, data, *, saved: DeterminationStep | None, records: Sequence[OutsideRecord]
    ) -> CitationsForm:
        """The case's outside records to tick, those the step cites already ticked."""
        cited = list(saved.citations.all()) if saved is not None else []
        initial: dict = {"records": [str(citation.record_id) for citation in cited]}
        for citation in cited:
            initial[f"pages_{citation.record_id}"] = citation.pages
        return CitationsForm(data, records=records, initial=initial)

    def withdrawn_citations(self, saved: DeterminationStep | None) -> list[RecordCitation]:
        """Records the step cites that were withdrawn since: saving the step drops them."""
        if saved is None:
            return []
        return [citation for citation in saved.citations.all() if citation.record.is_withdrawn]

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

    def saved_message(self, form: StepForm) -> str:
        """What the page says once this step's valid form is saved."""
        return f"{self.heading} saved."

    def is_complete(
        self, determination: Determination, saved: DeterminationStep | None, case: Case
    ) -> bool:
        return readiness.is_complete(self.slug, determination, saved, case)


class ClinicalStep(Step):
    slug = Slug.CLINICAL
    form_class = ClinicalForm
    evidence_template = "cases/determinations/evidence/clinical.html"
    offers_record_upload = True

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
        if values.pop(RECEIVED_DATE_FILLED, False):
            # Filled from the records cited, not typed: it stays blank, and keeps following them.
            values["records_received_date"] = None
        if saved is not None:
            values["diagnosis_codes"] = ", ".join(
                code for code in determination.diagnosis_codes.split(",") if code
            )
        return values

    def evidence(self, determination, case):
        return {"assessments": list(case.assessments.all())[-3:]}


def _change(improvement) -> str:
    if improvement is None:
        return "—"
    if improvement > 0:
        return f"{format_decimal(improvement)} better"
    if improvement < 0:
        return f"{format_decimal(-improvement)} worse"
    return "no change"


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


class DiagnosticsStep(Step):
    slug = Slug.DIAGNOSTICS
    form_class = DiagnosticsForm
    evidence_template = "cases/determinations/evidence/diagnostics.html"
    offers_record_upload = True

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


class ConsultationsStep(Step):
    slug = Slug.CONSULTATIONS
    form_class = ConsultationsForm
    evidence_template = "cases/determinations/evidence/consultations.html"
    offers_record_upload = True

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


class LegalStep(Step):
    slug = Slug.LEGAL
    form_class = LegalForm
    evidence_template = "cases/determinations/evidence/legal.html"

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


class OutcomeStep(Step):
    slug = Slug.OUTCOME
    form_class = OutcomeForm
    evidence_template = "cases/determinations/evidence/outcome.html"

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

    def saved_message(self, form):
        message = super().saved_message(form)
        if form.replaced_rating is None:
            return message
        return (
            f"{message} The whole person rating is {form.cleaned_data['impairment_rating']} %, "
            f"computed from the impairment items; the {form.replaced_rating} typed in the "
            "rating box was replaced by it."
        )


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
