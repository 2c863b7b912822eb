from django.db import models

from ..domain.search import MAX_TERM_LENGTH


class CaseSearchTerm(models.Model):
    """A term a case is filed under for the case list's search (cases/domain/search.py),
    with the case's opening time, so that the matches of a term are read from one index in
    the case list's order (newest first) and the work stops at the page shown.

    Kept by the services that open cases and change names or claim numbers
    (cases/services/search.py); `manage.py refresh_derived` rebuilds them all."""

    # A case's terms and "has this case that term?" (a search for several words) are read
    # from the key; a row is small, and there is one per term, thirty or so a case.
    pk = models.CompositePrimaryKey("case", "term")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="search_terms", db_index=False
    )
    term = models.CharField(max_length=MAX_TERM_LENGTH)
    opened_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["term", "-opened_at", "-case"], name="search_term_in_order"),
        ]

    def __str__(self) -> str:
        return self.term
