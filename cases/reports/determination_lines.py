"""The lines each step of a determination contributes to its page and to the signed
report: labelled, in words, from the saved columns and answers (docs/architecture.md §7),
and the outside records the steps cite."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from outside_records.citations import merged, pages_text, read_pages
from outside_records.models import OutsideRecord, RecordCitation

from ..determination.readiness import RECEIVED_DATE_FILLED, answer, jurisdiction_of, step_name
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
        ReportLine(
            "All medical records received on",
            day(determination.records_received_date)
            + (
                " (the latest receipt of the outside records cited)"
                if determination.records_received_date and answer(saved, RECEIVED_DATE_FILLED)
                else ""
            ),
        ),
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


def record_words(record: OutsideRecord) -> str:
    """An outside record as a certification names it: type, date of service, author."""
    parts = [record.get_document_type_display()]
    if record.service_date:
        parts.append(f"of {day(record.service_date)}")
    if record.author:
        parts.append(f"by {record.author}")
    return " ".join(parts)


def _citation_words(citation: RecordCitation) -> str:
    if not citation.pages:
        pages = ", all pages"
    else:
        pages = f", page{'' if citation.pages.isdigit() else 's'} {citation.pages}"
    return f"{record_words(citation.record)}, received {day(citation.record.received_on)}{pages}"


def step_lines(
    slug: str, determination: Determination, saved: DeterminationStep | None
) -> list[ReportLine]:
    """What one step says, as labelled lines; its saved answers are ``saved``, with the
    outside records it cites (prefetched by ``readiness.saved_steps``)."""
    lines = _LINES[slug](determination, saved)
    cited = list(saved.citations.all()) if saved is not None else []
    if cited:
        lines.append(
            ReportLine("Outside records reviewed", "\n".join(_citation_words(c) for c in cited))
        )
    return lines


@dataclass(frozen=True)
class ReviewedRecord:
    """One outside record a determination cites, once however many steps cite it."""

    document_type: str
    service_date: date | None
    author: str
    received_from: str
    received_on: date
    pages: str
    steps: tuple[int, ...]


def records_reviewed(steps: Iterable[DeterminationStep]) -> list[ReviewedRecord]:
    """The outside records the steps cite, by date of service (then receipt), each with the
    pages cited across the steps ("all" when one step cites all of it)."""
    cited: dict[int, list[tuple[int, RecordCitation]]] = {}
    for step in steps:
        for citation in step.citations.all():
            cited.setdefault(citation.record_id, []).append((step_name(step.slug).number, citation))
    reviewed = []
    for citations in cited.values():
        record = citations[0][1].record
        count = record.stored_file.page_count
        if any(not citation.pages for _, citation in citations):
            pages = f"all {count}" if count > 1 else "all"
        else:
            spans = [span for _, c in citations for span in read_pages(c.pages, count)]
            pages = pages_text(merged(spans))
        reviewed.append(
            ReviewedRecord(
                document_type=record.get_document_type_display(),
                service_date=record.service_date,
                author=record.author,
                received_from=record.received_from,
                received_on=record.received_on,
                pages=pages,
                steps=tuple(sorted({number for number, _ in citations})),
            )
        )
    return sorted(reviewed, key=lambda r: (r.service_date or r.received_on, r.received_on))
