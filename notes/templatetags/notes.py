"""The case page's notes section ({% include "notes/case_notes.html" %} in
templates/cases/case_detail.html reads them here): the latest notes the user may see, and
whether they may write one. One query whatever the number of notes."""

from dataclasses import dataclass

from django import template

from cases.access import Capability, has_capability
from cases.models import Case

from ..models import Note
from ..selectors import case_notes

register = template.Library()

# The notes the case page shows, newest first; the log page has them all.
NOTES_SHOWN = 10


@dataclass(frozen=True)
class CaseNotes:
    notes: list[Note]
    more: bool
    may_write: bool


@register.simple_tag(takes_context=True)
def case_notes_panel(context: template.Context, case: Case) -> CaseNotes:
    user = context["request"].user
    notes = list(case_notes(user, case)[: NOTES_SHOWN + 1])
    return CaseNotes(
        notes=notes[:NOTES_SHOWN],
        more=len(notes) > NOTES_SHOWN,
        may_write=has_capability(user, Capability.WRITE_NOTES),
    )
