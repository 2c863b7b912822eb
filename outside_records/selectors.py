"""Reads of outside medical records, each in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import F

from cases.models import Case, Determination, User

from .access import records_visible_to
from .models import OutsideRecord, OutsideRecordQuerySet, RecordCitation


def case_records(user: User, case: Case) -> OutsideRecordQuerySet:
    """The case's records the user may see, newest received first, withdrawn ones included
    (they stay in the case's history, marked)."""
    return (
        records_visible_to(user)
        .filter(case=case)
        .select_related("stored_file", "uploaded_by")
        .order_by(F("withdrawn_at").asc(nulls_first=True), "-received_on", "-pk")
    )


def records_to_cite(user: User, case: Case) -> list[OutsideRecord]:
    """The case's records in force that the user may see, to tick in a determination's step:
    by date of service, then receipt. One query."""
    return list(
        records_visible_to(user)
        .in_force()
        .filter(case=case)
        .select_related("stored_file")
        .order_by(F("service_date").desc(nulls_last=True), "-received_on", "-pk")
    )


def citing_versions(records: Iterable[OutsideRecord]) -> dict[int, tuple[int, ...]]:
    """Each record's citing certifications, signed (superseded and rescinded ones included,
    drafts not), by version, in order: one query."""
    versions: dict[int, list[int]] = defaultdict(list)
    citations = (
        RecordCitation.objects.filter(record__in=records)
        .exclude(step__determination__status=Determination.Status.DRAFT)
        .values_list("record_id", "step__determination__version")
        .order_by("record_id", "step__determination__version")
        .distinct()
    )
    for record_id, version in citations:
        versions[record_id].append(version)
    return {record_id: tuple(cited) for record_id, cited in versions.items()}


def citing_certifications(record: OutsideRecord) -> list[str]:
    """The signed certifications that cite the record, as "v2", in order. One query."""
    return [f"v{version}" for version in citing_versions([record]).get(record.pk, ())]
