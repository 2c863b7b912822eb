"""Who sees and writes case notes, by the capabilities of cases/access.py: the notes of a case
go to those who may see the case, except that a note private to clinicians goes only to the
clinicians of its care team. A note the user may not see answers 404, like one that does not
exist; only its author edits or withdraws a note (403 for anyone else)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cases.access import Capability, has_capability, of_visible_cases
from cases.models import User

from .models import Note


def notes_visible_to(user: User) -> QuerySet[Note]:
    """The notes of the cases the user may see, less the private ones for a role that may
    not see them."""
    notes = Note.objects.filter(of_visible_cases(user))
    if not has_capability(user, Capability.SEE_PRIVATE_NOTES):
        notes = notes.filter(private=False)
    return notes


def get_note_for(user: User, note_id: int) -> Note:
    """The note, if the user may see it (404 otherwise)."""
    note = (
        notes_visible_to(user)
        .select_related("case", "case__patient", "written_by", "edited_by", "withdrawn_by")
        .filter(pk=note_id)
        .first()
    )
    if note is None:
        raise Http404("No such note.")
    return note


def may_change(user: User, note: Note) -> bool:
    """Whether the user may edit or withdraw the note: its author, while they may write
    notes and see its case (they reached it)."""
    return note.written_by_id == user.pk and has_capability(user, Capability.WRITE_NOTES)


def require_author(user: User, note: Note) -> None:
    """Only a note's author edits or withdraws it (403)."""
    if not may_change(user, note):
        raise PermissionDenied("Only the note's author edits or withdraws it.")
