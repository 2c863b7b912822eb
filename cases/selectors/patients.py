"""Finding a patient on file: by what a case manager types when opening a case, and by the
name and date of birth that make one person (so that nobody is put on file twice)."""

from datetime import date

from django.db.models import Exists, OuterRef

from ..access import cases_visible_to, patients_visible_to
from ..domain.search import birth_date_typed, search_terms
from ..models import CaseSearchTerm, Patient, User

# A lookup lists this many patients at most: enough to pick from, few enough to read.
PATIENTS_FOUND = 10


def patient_on_file(
    *, first_name: str, last_name: str, date_of_birth: date, other_than: int | None = None
) -> Patient | None:
    """The patient already on file with this name and date of birth (letter case and spaces
    around the names aside), whoever's cases they are on; ``other_than`` leaves out the
    patient being edited. One query."""
    found = Patient.objects.filter(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    )
    if other_than is not None:
        found = found.exclude(pk=other_than)
    return found.order_by("pk").first()


def patients_found(user: User, typed: str, *, limit: int = PATIENTS_FOUND) -> list[Patient]:
    """The patients the user may see who were born on the date typed (1984-02-03 or
    2/3/1984) or, otherwise, a word of whose names or claim numbers starts with each word
    typed (as the case list's search: cases/domain/search.py); the first ``limit`` by name.
    One query, none when nothing searchable was typed."""
    born = birth_date_typed(typed)
    if born is not None:
        found = patients_visible_to(user).filter(date_of_birth=born)
    else:
        terms = search_terms(typed)
        if not terms:
            return []
        first, *others = terms
        cases = cases_visible_to(user).filter(search_terms__term=first)
        for other in others:
            cases = cases.filter(
                Exists(CaseSearchTerm.objects.filter(case=OuterRef("pk"), term=other))
            )
        found = Patient.objects.filter(pk__in=cases.values("patient_id"))
    return list(found.order_by("last_name", "first_name", "pk")[:limit])
