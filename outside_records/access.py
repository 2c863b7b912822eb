"""Who sees and changes outside medical records, by the capabilities of cases/access.py: the
records of a case go to those who may see the case, except that a record marked
clinical-only is not the payer's to see. A record the user may not see answers 404, like one
that does not exist; an action their role may not take answers 403."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from cases.access import Capability, has_capability, of_visible_cases
from cases.models import User

from .models import OutsideRecord, OutsideRecordQuerySet


def records_visible_to(user: User) -> OutsideRecordQuerySet:
    """The outside records of the cases the user may see, less the clinical-only ones for a
    role that may not see them."""
    records = OutsideRecord.objects.filter(of_visible_cases(user))
    if not has_capability(user, Capability.SEE_CLINICAL_ONLY_RECORDS):
        records = records.filter(Q(clinical_only=False))
    return records


def get_record_for(
    user: User, record_id: int, *, capability: Capability | None = None
) -> OutsideRecord:
    """The record, if the user may see it (404 otherwise) and, when a capability is named,
    may do that (403 otherwise)."""
    record = (
        records_visible_to(user)
        .select_related("case", "case__patient", "stored_file", "uploaded_by", "withdrawn_by")
        .filter(pk=record_id)
        .first()
    )
    if record is None:
        raise Http404("No such record.")
    if capability is not None and not has_capability(user, capability):
        raise PermissionDenied("Your role may not do this on an outside record.")
    return record
