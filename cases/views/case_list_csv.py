"""The case list as CSV, safe to open in a spreadsheet."""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from ..models import Determination
from ..models.cases import CaseQuerySet
from ..reports.cells import neutralise
from ..selectors.diagnoses import diagnoses_text

HEADER = (
    "Claim number",
    "State claim number",
    "Patient",
    "Date of injury",
    "Body part",
    "Diagnosis codes",
    "Diagnosis",
    "Jurisdiction",
    "Status",
    "Insurer",
    "Case manager",
    "Clinicians",
    "Next review",
    "Statutory MMI date",
    "MMI date",
    "Days from injury to MMI",
    "MMI type",
    "Whole person impairment (%)",
)


def _iso(value: date | None) -> str:
    """Dates as ISO 8601 (2026-03-04), which every spreadsheet sorts and reads alike."""
    return value.isoformat() if value else ""


def case_csv_rows(cases: CaseQuerySet, *, chunk_size: int = 2000) -> Iterator[list[str]]:
    """The header, then one row per case, every cell neutralised. Reads the cases in
    chunks, so memory stays flat however many there are."""
    yield list(HEADER)
    mmi_types = dict(Determination.MMIType.choices)
    # Cases with the certification's two columns annotated.
    rows: Iterable[Any] = (
        cases.with_parties()
        .prefetch_related("care_team")
        .with_certification()
        .iterator(chunk_size=chunk_size)
    )
    for case in rows:
        rating = case.certified_rating
        yield [
            neutralise(str(cell))
            for cell in (
                case.claim_number,
                case.state_claim_number,
                case.patient,
                _iso(case.date_of_injury),
                case.get_body_part_display(),
                " ".join(case.diagnosis_code_list),
                diagnoses_text(case.diagnosis_code_list),
                case.jurisdiction,
                case.get_status_display(),
                case.insurer,
                case.case_manager,
                "; ".join(str(clinician) for clinician in case.care_team.all()),
                _iso(case.review_due),
                _iso(case.statutory_mmi_date),
                _iso(case.mmi_date),
                (case.mmi_date - case.date_of_injury).days if case.mmi_date else "",
                mmi_types.get(case.certified_mmi_type, ""),
                "" if rating is None else rating,
            )
        ]
