"""The lines each step of a determination contributes to its page and to the signed
report: labelled, in words, from the saved columns and answers (docs/architecture.md §7)."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..determination.readiness import answer, jurisdiction_of
from ..domain.jurisdictions import GUIDES_EDITIONS
from ..models import Consultation, Determination, DeterminationStep, PsychologicalReadiness
from ..selectors.diagnoses import diagnoses_text
from ..templatetags.dates import day

Slug = DeterminationStep.Slug


@dataclass(frozen=True)
class ReportLine:
    """One labelled line a step contributes to the determination page and the report."""

    label: str
    text: str


def _yes_no(value: str) -> str:
    return {"yes": "Yes", "no": "No"}.get(value, "—")


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


def _clinical(determination: Determination, saved: DeterminationStep | None) -> list[ReportLine]:
    readiness = dict(PsychologicalReadiness.choices)
    return [
        ReportLine("Exam date", day(determination.exam_date)),
        ReportLine("All medical records received on", day(determination.records_received_date)),
        ReportLine(
            "Diagnosis (ICD-10)",
            diagnoses_text(determination.diagnosis_codes.split(","), separator="\n"),
        ),
        ReportLine("History", answer(saved, "history")),
        ReportLine("Current complaints", answer(saved, "complaints")),
        ReportLine("Examination findings", answer(saved, "objective_findings")),
        ReportLine("Functional status", answer(saved, "functional_status")),
        ReportLine(
            "Psychological readiness to return to work",
            " — ".join(
                part
                for part in (
                    readiness.get(answer(saved, "psychological_readiness"), ""),
                    answer(saved, "psychological_notes"),
                )
                if part
            ),
        ),
    ]


def _therapy(determination: Determination, saved: DeterminationStep | None) -> list[ReportLine]:
    return [
        ReportLine("Interpretation", answer(saved, "interpretation")),
        ReportLine(
            "Authorised treatment still producing improvement",
            _yes_no(answer(saved, "improving_under_authorised_treatment")),
        ),
        ReportLine("Plateau check", " ".join(answer(saved, "plateau_reasons", []))),
    ]


def _diagnostics(determination: Determination, saved: DeterminationStep | None) -> list[ReportLine]:
    results = {"stable": "reviewed, stable", "changed": "reviewed, changed"}
    lines = [
        ReportLine(review["label"], results.get(review["result"], review["result"]))
        for review in answer(saved, "reviews", [])
    ]
    if saved is not None and not lines:
        lines.append(ReportLine("Diagnostic tests", "None on file."))
    return [
        *lines,
        ReportLine("Objective findings", answer(saved, "objective_findings")),
        ReportLine("Comments", answer(saved, "comments")),
    ]


def _consultations(
    determination: Determination, saved: DeterminationStep | None
) -> list[ReportLine]:
    words = dict(Consultation.MMIOpinion.choices)
    lines = [
        ReportLine(
            opinion["label"],
            " — ".join(p for p in (words.get(opinion["opinion"], ""), opinion["why"]) if p),
        )
        for opinion in answer(saved, "opinions", [])
    ]
    if saved is not None and not lines:
        lines.append(ReportLine("Consultations", "None on file."))
    return [
        *lines,
        ReportLine(
            "Designated doctor has examined",
            _yes_no(answer(saved, "designated_doctor_examined")),
        ),
        ReportLine("Comments", answer(saved, "comments")),
    ]


def _legal(determination: Determination, saved: DeterminationStep | None) -> list[ReportLine]:
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
            day(determination.statutory_mmi_date),
        ),
        ReportLine(
            "Claim numbers",
            " · ".join(
                part
                for part in (
                    answer(saved, "carrier_claim_number")
                    and f"carrier {answer(saved, 'carrier_claim_number')}",
                    answer(saved, "state_claim_number")
                    and f"state {answer(saved, 'state_claim_number')}",
                )
                if part
            ),
        ),
        ReportLine("Guides edition", GUIDES_EDITIONS.get(determination.guides_edition, "")),
    ]


def _outcome(determination: Determination, saved: DeterminationStep | None) -> list[ReportLine]:
    if determination.mmi_reached is None:
        return []
    if not determination.mmi_reached:
        expected = determination.expected_mmi_date
        return [
            ReportLine(
                "Outcome",
                f"Not at MMI, expected on or about {day(expected)}" if expected else "Not at MMI",
            ),
            ReportLine("Plan to reach MMI", determination.plan),
            ReportLine("Rationale", determination.rationale),
        ]
    return [
        ReportLine(
            "Outcome",
            f"At MMI on {day(determination.mmi_date)}".removesuffix(" on "),
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


_LINES: Mapping[str, Callable[[Determination, DeterminationStep | None], list[ReportLine]]] = {
    Slug.CLINICAL: _clinical,
    Slug.THERAPY: _therapy,
    Slug.DIAGNOSTICS: _diagnostics,
    Slug.CONSULTATIONS: _consultations,
    Slug.LEGAL: _legal,
    Slug.OUTCOME: _outcome,
}


def step_lines(
    slug: str, determination: Determination, saved: DeterminationStep | None
) -> list[ReportLine]:
    """What one step says, as labelled lines; its saved answers are ``saved``."""
    return _LINES[slug](determination, saved)
