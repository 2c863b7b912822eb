"""Writes of case notes: each keeps a new version, with who and when, in one transaction.
The rules of what may be kept are in notes/domain.py; who may write in notes/access.py."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.access import Capability, has_capability
from cases.models import Case, User

from . import domain
from .access import require_author
from .models import Note, NoteVersion


def party_name(case: Case, party: str) -> str:
    """The name of a party of the case, as it is now; refused when the case has none."""
    names: dict[str, str] = {
        Note.Party.EMPLOYEE: str(case.patient),
        Note.Party.EMPLOYER: case.employer.name,
        Note.Party.CARRIER: case.insurer.name,
        Note.Party.ADJUSTER: str(case.adjuster) if case.adjuster_id else "",
        Note.Party.CASE_MANAGER: str(case.case_manager),
    }
    if party not in names:
        raise ValidationError({"party": "Choose a party of the case, or none."})
    if not names[party]:
        raise ValidationError({"party": "This case has no adjuster named."})
    return names[party]


def _checked(*, kind: str, happened_at: datetime, text: str, with_whom: str, party: str) -> None:
    refusals = domain.note_refusals(
        kind=kind,
        happened_at=happened_at,
        now=timezone.now(),
        text=text,
        with_whom=with_whom,
        party=party,
    )
    if refusals:
        raise ValidationError(refusals)


def _keep_version(note: Note, *, by: User, at: datetime) -> NoteVersion:
    return NoteVersion.objects.create(
        note=note,
        number=note.version_count,
        kind=note.kind,
        happened_at=note.happened_at,
        party=note.party,
        party_name=note.party_name,
        with_whom=note.with_whom,
        text=note.text,
        written_by=by,
        written_at=at,
    )


@transaction.atomic
def note_write(
    *,
    case: Case,
    by: User,
    kind: str,
    happened_at: datetime,
    text: str,
    with_whom: str = "",
    party: str = "",
    private: bool = False,
) -> Note:
    """Write a note on the case: anyone who may see it and write notes (403 otherwise); a
    note private to clinicians only by a clinician of the care team."""
    if not has_capability(by, Capability.WRITE_NOTES):
        raise PermissionDenied("Your role may not write notes on a case.")
    if private and not has_capability(by, Capability.SEE_PRIVATE_NOTES):
        raise PermissionDenied("Only a clinician writes a note private to clinicians.")
    _checked(kind=kind, happened_at=happened_at, text=text, with_whom=with_whom, party=party)
    now = timezone.now()
    note = Note.objects.create(
        case=case,
        private=private,
        written_by=by,
        written_at=now,
        kind=kind,
        happened_at=happened_at,
        party=party,
        party_name=party_name(case, party) if party else "",
        with_whom=with_whom.strip(),
        text=text.strip(),
    )
    _keep_version(note, by=by, at=now)
    return note


@transaction.atomic
def note_edit(
    *,
    note: Note,
    by: User,
    kind: str,
    happened_at: datetime,
    text: str,
    with_whom: str = "",
    party: str = "",
) -> Note:
    """Edit a note: its author only (403 otherwise), while it is not withdrawn. The earlier
    versions are kept; the note shows as edited. An edit that changes nothing is refused."""
    require_author(by, note)
    note = (
        Note.objects.select_for_update(of=("self",))
        .select_related(
            "case__patient",
            "case__employer",
            "case__insurer",
            "case__adjuster",
            "case__case_manager",
        )
        .get(pk=note.pk)
    )
    if note.is_withdrawn:
        raise ValidationError("A withdrawn note is not edited.")
    _checked(kind=kind, happened_at=happened_at, text=text, with_whom=with_whom, party=party)
    changed = {
        "kind": kind,
        "happened_at": happened_at,
        "party": party,
        "with_whom": with_whom.strip(),
        "text": text.strip(),
    }
    if party != note.party:
        changed["party_name"] = party_name(note.case, party) if party else ""
    if all(getattr(note, name) == value for name, value in changed.items()):
        raise ValidationError("Nothing was changed: the note is as it was.")
    now = timezone.now()
    for name, value in changed.items():
        setattr(note, name, value)
    note.version_count += 1
    note.edited_at = now
    note.edited_by = by
    note.save()
    _keep_version(note, by=by, at=now)
    return note


@transaction.atomic
def note_withdraw(*, note: Note, by: User, reason: str) -> Note:
    """Withdraw a note written in error: its author only (403 otherwise), with a reason. The
    note stays in the log, marked withdrawn, with the reason."""
    require_author(by, note)
    note = Note.objects.select_for_update().get(pk=note.pk)
    refusals = domain.withdrawal_refusals(reason=reason, already_withdrawn=note.is_withdrawn)
    if refusals:
        raise ValidationError(refusals)
    note.withdrawn_at = timezone.now()
    note.withdrawn_by = by
    note.withdrawn_reason = reason.strip()
    note.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    return note
