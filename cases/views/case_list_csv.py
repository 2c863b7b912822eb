"""The case list as CSV, safe to open in a spreadsheet."""

from collections.abc import Iterable, Iterator

from ..models import Case
from ..models.cases import CaseQuerySet
from ..reports.cells import neutralise
from ..templatetags.dates import day

HEADER = (
    "Claim number",
    "State claim number",
    "Patient",
    "Date of injury",
    "Body part",
    "Jurisdiction",
    "Status",
    "Insurer",
    "Case manager",
    "Next review",
    "MMI date",
)


def case_csv_rows(cases: CaseQuerySet, *, chunk_size: int = 2000) -> Iterator[list[str]]:
    """The header, then one row per case, every cell neutralised. Reads the cases in
    chunks, so memory stays flat however many there are."""
    yield list(HEADER)
    rows: Iterable[Case] = cases.with_parties().iterator(chunk_size=chunk_size)
    for case in rows:
        yield [
            neutralise(str(cell))
            for cell in (
                case.claim_number,
                case.state_claim_number,
                case.patient,
                day(case.date_of_injury),
                case.get_body_part_display(),
                case.jurisdiction,
                case.get_status_display(),
                case.insurer,
                case.case_manager,
                day(case.next_review_date),
                day(case.mmi_date),
            )
        ]
