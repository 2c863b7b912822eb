"""Reads of case notes, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from cases.models import Case, User

from .access import notes_visible_to
from .models import Note, NoteVersion


def case_notes(user: User, case: Case, *, kind: str = "") -> QuerySet[Note]:
    """The case's notes the user may see, newest communication first, withdrawn ones
    included (they stay in the log, marked), of one kind when ``kind`` is given."""
    notes = notes_visible_to(user).filter(case=case)
    if kind:
        notes = notes.filter(kind=kind)
    return notes.select_related("written_by", "edited_by", "withdrawn_by").order_by(
        "-happened_at", "-pk"
    )


def with_versions(notes: QuerySet[Note]) -> QuerySet[Note]:
    """The notes with every version each had, latest first: one more query for all."""
    return notes.prefetch_related(
        Prefetch(
            "versions",
            queryset=NoteVersion.objects.select_related("written_by").order_by("-number"),
        )
    )
