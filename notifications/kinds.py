"""What a notification may be about: one ``Kind`` per line in ``KINDS``, so that a new kind
is one line here (no migration: the model reads its choices from this list).

Each kind says whether its email goes out unless the user turns it off (``email_default``)
and whether the user may turn it off at all (``email_required``: a safety alert is always
emailed, whatever the preferences page says). ``email_line`` is the email's sentence when
the caller gives none: it names no person and no clinical fact, only what kind of thing
happened; the email adds the claim number and the link (notifications/emails.py).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    email_line: str
    email_default: bool = True
    email_required: bool = False


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("certification_signed", "A certification signed", "A certification was signed."),
        Kind("certification_amended", "A certification amended", "A certification was amended."),
        Kind(
            "certification_rescinded", "A certification rescinded", "A certification was rescinded."
        ),
        Kind("dispute_recorded", "A dispute recorded", "A dispute was recorded."),
        Kind("task_assigned", "A task assigned to you", "A task was assigned to you."),
        Kind(
            "record_added",
            "A record added to your case",
            "A record was added.",
            email_default=False,
        ),
        Kind(
            "safety_alert",
            "A safety alert",
            "An answer needs a clinician's attention now.",
            email_required=True,
        ),
    )
}


def kind_choices() -> list[tuple[str, str]]:
    """The model field's choices, read from ``KINDS`` (a callable, so migrations hold no
    copy of the list)."""
    return [(kind.key, kind.label) for kind in KINDS.values()]
