"""Reads of outside medical records, each in a fixed number of queries."""

from django.db.models import F

from cases.models import Case, User

from .access import records_visible_to
from .models import OutsideRecordQuerySet


def case_records(user: User, case: Case) -> OutsideRecordQuerySet:
    """The case's records the user may see, newest received first, withdrawn ones included
    (they stay in the case's history, marked)."""
    return (
        records_visible_to(user)
        .filter(case=case)
        .select_related("stored_file", "uploaded_by")
        .order_by(F("withdrawn_at").asc(nulls_first=True), "-received_on", "-pk")
    )
