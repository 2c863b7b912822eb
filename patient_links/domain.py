"""The rules of a patient's questionnaire link and of a case's questionnaire plan
(docs/domain.md §11), without Django: standard library only, tested without a database."""

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# 32 random bytes: 256 bits, written in 43 URL-safe characters. Only the SHA-256 of a token
# is stored, so the table cannot be read back into working links.
TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")

# The most an activity the patient names on a link may hold (the PSFS's): a few words.
ACTIVITY_NAME_MAX = 100

# A reminder goes once, this long after the link was sent, if it is still unanswered.
REMIND_AFTER = timedelta(days=3)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored of a token, and what a token that arrives is looked up by."""
    return hashlib.sha256(token.encode()).hexdigest()


def is_token_shaped(token: str) -> bool:
    """Whether ``token`` could be one we made; anything else is refused unread."""
    return _TOKEN_SHAPE.fullmatch(token) is not None


def activity_name(typed: str) -> str:
    """An activity the patient typed, as the plain text kept of it: one line, each run of
    spaces, tabs or line breaks one space, other control characters dropped, trimmed.
    Nothing in it is markup: the pages escape it as any text."""
    printable = "".join(
        character
        for character in typed
        if character.isspace() or unicodedata.category(character) != "Cc"
    )
    return " ".join(printable.split())


class LinkState(StrEnum):
    SENT = "sent"
    OPENED = "opened"
    COMPLETED = "completed"
    EXPIRED = "expired"


def link_state(
    *,
    opened_at: datetime | None,
    submitted_at: datetime | None,
    expires_at: datetime,
    now: datetime,
) -> LinkState:
    """A submitted link is completed whatever the clock says; an unsubmitted one expires at
    its time, opened or not."""
    if submitted_at is not None:
        return LinkState.COMPLETED
    if now >= expires_at:
        return LinkState.EXPIRED
    return LinkState.OPENED if opened_at is not None else LinkState.SENT


def reminder_due(*, sent_at: datetime, reminded: bool, state: LinkState, now: datetime) -> bool:
    """Once, from three days after sending, while the link may still be answered."""
    return (
        not reminded
        and state in (LinkState.SENT, LinkState.OPENED)
        and now >= sent_at + REMIND_AFTER
    )


def next_send_on(*, last_sent_on: date, every_days: int) -> date:
    """The plan's next link, ``every_days`` after the last one it sent."""
    return last_sent_on + timedelta(days=every_days)


@dataclass(frozen=True)
class Completion:
    """Links that reached an end: answered, or expired unanswered. Links still open are not
    counted, so a link sent this morning does not lower the rate."""

    completed: int
    expired: int

    @property
    def settled(self) -> int:
        return self.completed + self.expired

    @property
    def rate_percent(self) -> int | None:
        """Whole percent, halves up; None before any link has settled."""
        if self.settled == 0:
            return None
        exact = Decimal(100 * self.completed) / Decimal(self.settled)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
