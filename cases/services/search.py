"""Filing cases under their search terms (cases/domain/search.py, cases/models/search.py),
in the transaction that opens a case or changes a name or a claim number."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from ..domain.search import terms_of
from ..models import Case, CaseSearchTerm, Patient

_BATCH = 2000


def _wanted(case: Case) -> set[str]:
    patient = case.patient
    return terms_of(
        [patient.first_name, patient.last_name, case.claim_number, case.state_claim_number]
    )


def case_search_terms_refresh(*, cases: Iterable[Case]) -> None:
    """File each case under the terms of its patient's names and claim numbers as saved,
    adding and removing only what changed."""
    for case in cases:
        wanted = _wanted(case)
        filed = set(case.search_terms.values_list("term", flat=True))
        if filed - wanted:
            case.search_terms.filter(term__in=filed - wanted).delete()
        CaseSearchTerm.objects.bulk_create(
            CaseSearchTerm(case=case, term=term, opened_at=case.opened_at)
            for term in wanted - filed
        )


def patient_search_terms_refresh(*, patient: Patient) -> None:
    """After a change of the patient's names: file each of their cases anew."""
    case_search_terms_refresh(cases=patient.cases.select_related("patient"))


@transaction.atomic
def search_terms_rebuild(*, cases: QuerySet[Case] | None = None) -> None:
    """File these cases (every case by default) anew, in bulk: after bulk loads, or to
    repair."""
    cases = Case.objects.all() if cases is None else cases
    CaseSearchTerm.objects.filter(case__in=cases.values("pk")).delete()
    batch: list[CaseSearchTerm] = []
    for case in cases.select_related("patient").order_by("pk").iterator(_BATCH):
        batch.extend(
            CaseSearchTerm(case=case, term=term, opened_at=case.opened_at) for term in _wanted(case)
        )
        if len(batch) >= _BATCH:
            CaseSearchTerm.objects.bulk_create(batch)
            batch = []
    CaseSearchTerm.objects.bulk_create(batch)
