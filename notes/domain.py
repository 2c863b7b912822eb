"""The rules of a case note, without Django (docs/architecture.md, "The legal clock"): what
a note must say to be kept. Each refusal is worded for the person who typed it."""

from datetime import UTC, datetime

from cases.domain.dates import EARLIEST_DAY

# The kinds of communication the log holds, as stored.
KINDS = ("call", "email", "letter", "meeting", "note")
# Nothing on a case happened before this (cases/domain/dates.py); compared as a moment, since
# turning an earlier one into local time would leave the calendar.
EARLIEST_MOMENT = datetime(EARLIEST_DAY.year, EARLIEST_DAY.month, EARLIEST_DAY.day, tzinfo=UTC)
# A note to the file is with nobody; a call, an email, a letter or a meeting is with someone.
WITH_NOBODY = frozenset({"note"})


def note_refusals(
    *, kind: str, happened_at: datetime, now: datetime, text: str, with_whom: str, party: str
) -> dict[str, str]:
    """What is wrong with a note, by field (empty when nothing): an unknown kind, a moment
    in the future or before 1900, an empty text, a communication with nobody named."""
    refusals: dict[str, str] = {}
    if kind not in KINDS:
        refusals["kind"] = f"Choose the kind of note: one of {', '.join(KINDS)}."
    if happened_at > now:
        refusals["happened_at"] = "When it happened cannot be in the future."
    elif happened_at < EARLIEST_MOMENT:
        refusals["happened_at"] = f"When it happened must be from {EARLIEST_DAY.year} on."
    if not text.strip():
        refusals["text"] = "Write what was said or done: the text cannot be empty."
    if kind in KINDS and kind not in WITH_NOBODY and not with_whom.strip() and not party:
        article = "an" if kind[0] in "aeiou" else "a"
        refusals["with_whom"] = (
            f"Say with whom: {article} {kind} is with someone, a party of the case or a name."
        )
    return refusals


def withdrawal_refusals(*, reason: str, already_withdrawn: bool) -> dict[str, str]:
    """A note is withdrawn once, and says why."""
    if already_withdrawn:
        return {"reason": "This note was already withdrawn."}
    if not reason.strip():
        return {"reason": "Say why the note is withdrawn: the reason stays with it."}
    return {}
