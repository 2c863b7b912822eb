"""Reads of outside medical records, each in a fixed number of queries."""

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


def citing_certifications(record: OutsideRecord) -> list[str]:
    """The signed certifications (superseded and rescinded ones included) that cite the
    record, as "v2", in order. One query."""
    versions = (
        RecordCitation.objects.filter(record=record)
        .exclude(step__determination__status=Determination.Status.DRAFT)
        .values_list("step__determination__version", flat=True)
        .order_by("step__determination__version")
        .distinct()
    )
    return [f"v{version}" for version in versions]
