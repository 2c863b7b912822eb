"""The case's chronology: every outside record the user may see, by its date of service,
among the case's own events as the case page's timeline tells them (cases/selectors), in a
fixed number of queries whatever their number."""

from dataclasses import dataclass
from datetime import date

from cases.models import Case, User
from cases.selectors.cases import case_timeline, case_with_records

from .models import OutsideRecord
from .selectors import case_records, citing_versions

# What the chronology may be narrowed to, besides one document type of the records.
EVERYTHING = ""
CASE_EVENTS = "events"
ALL_RECORDS = "records"
SHOW_CHOICES = [
    (EVERYTHING, "Everything"),
    (CASE_EVENTS, "The case's own events"),
    (ALL_RECORDS, "All outside records"),
    *OutsideRecord.DocumentType.choices,
]


@dataclass(frozen=True)
class ChronologyEntry:
    """One line of the chronology: an event of the case (``kind`` as the timeline's:
    injury, treatment, assessment…) or an outside record (``kind`` "record")."""

    date: date
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    record: OutsideRecord | None = None
    # The versions of the signed certifications that cite the record.
    cited_by: tuple[int, ...] = ()

    @property
    def dated_by_receipt(self) -> bool:
        """A record without a date of service stands at the day it was received."""
        return self.record is not None and self.record.service_date is None


@dataclass(frozen=True)
class Chronology:
    case: Case
    entries: list[ChronologyEntry]


def case_chronology(
    user: User, case_id: int, *, show: str = EVERYTHING, newest_first: bool = False
) -> Chronology | None:
    """The chronology of a case the user may see (None otherwise), oldest first unless
    ``newest_first``; ``show`` keeps the case's events, the records, or the records of one
    document type. Withdrawn records stay, marked; clinical-only ones only for those who
    may see them (outside_records/access.py)."""
    case = case_with_records(case_id, user)
    if case is None:
        return None
    entries: list[ChronologyEntry] = []
    if show in (EVERYTHING, CASE_EVENTS):
        entries += [
            ChronologyEntry(entry.date, entry.kind, entry.title, entry.detail, entry.url)
            for entry in case_timeline(case)
        ]
    if show != CASE_EVENTS:
        records = case_records(user, case)
        if show not in (EVERYTHING, ALL_RECORDS):
            records = records.filter(document_type=show)
        shown = list(records)
        cited_by = citing_versions(shown)
        entries += [_record_entry(record, cited_by.get(record.pk, ())) for record in shown]
    # Stable: on one day the case's events come before the records, as they were listed.
    entries.sort(key=lambda entry: entry.date)
    if newest_first:
        entries.reverse()
    return Chronology(case=case, entries=entries)


def _record_entry(record: OutsideRecord, cited_by: tuple[int, ...]) -> ChronologyEntry:
    return ChronologyEntry(
        date=record.service_date or record.received_on,
        kind="record",
        title=record.get_document_type_display(),
        detail=record.author,
        record=record,
        cited_by=cited_by,
    )
