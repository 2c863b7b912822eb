"""Each party's dispute window, counted from that party's own delivery (docs/domain.md §2,
§10).

The first valid certification becomes final for a party unless that party disputes it
within the jurisdiction's window after its own verifiable delivery (Texas: 90 days, Labor
Code §408.123(e), 28 TAC 130.12(b)). The window is counted from the delivery date as
recorded: no receipt date is deemed from a mailing date. An amendment is a document of its
own: its windows run from its own deliveries.

Standard library only: this module must never import Django (docs/architecture.md §1).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from cases.domain.jurisdictions import DisputeDeadline


class WindowState(StrEnum):
    WAITING = "waiting"  # not delivered yet: no window runs
    OPEN = "open"
    FINAL = "final"  # the window closed with no dispute
    DISPUTED = "disputed"  # disputed in time
    DISPUTED_LATE = "disputed_late"
    NO_WINDOW = "no_window"  # delivered, but the jurisdiction sets no window


STATE_LABELS: dict[WindowState, str] = {
    WindowState.WAITING: "Waiting for delivery",
    WindowState.OPEN: "Window open",
    WindowState.FINAL: "Final",
    WindowState.DISPUTED: "Disputed in time",
    WindowState.DISPUTED_LATE: "Disputed late",
    WindowState.NO_WINDOW: "Delivered (no dispute window in this jurisdiction)",
}


@dataclass(frozen=True)
class PartyDispute:
    """A dispute that party filed against the document: when received, and whether it was
    recorded as late."""

    received_on: date
    late: bool


@dataclass(frozen=True)
class Window:
    """One party's window: from which delivery, until when, and its state on ``today``."""

    state: WindowState
    delivered_on: date | None = None
    deadline: DisputeDeadline | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def last_day(self) -> date | None:
        return self.deadline.last_day if self.deadline else None

    @property
    def next_working_day(self) -> date | None:
        return self.deadline.next_working_day if self.deadline else None


def first_delivery(delivered_on: Iterable[date]) -> date | None:
    """The day the party first had the document: its earliest delivery still standing."""
    return min(delivered_on, default=None)


def party_window(
    *,
    delivered_on: Iterable[date],
    dispute_deadline: Callable[[date], DisputeDeadline | None],
    disputes: Iterable[PartyDispute] = (),
    today: date,
) -> Window:
    """The party's window on ``today``, given the dates of its deliveries still standing
    (withdrawn ones left out), the jurisdiction's rule (``Jurisdiction.dispute_deadline``)
    and the disputes it filed.

    A dispute decides the state whether or not a delivery was recorded: received in time,
    "disputed"; recorded as late, "disputed late" (the certification is final for that
    party all the same, docs/domain.md §2). Otherwise the window is open through its last
    day and final the day after: the next working day, where the last day is not one, is a
    warning shown beside it, never counted (28 TAC 130.12(b)).
    """
    start = first_delivery(delivered_on)
    deadline = dispute_deadline(start) if start is not None else None
    filed = sorted(disputes, key=lambda dispute: dispute.received_on)
    if filed:
        in_time = [dispute for dispute in filed if not dispute.late]
        state = WindowState.DISPUTED if in_time else WindowState.DISPUTED_LATE
        return Window(state, start, deadline)
    if start is None:
        return Window(WindowState.WAITING)
    if deadline is None:
        return Window(WindowState.NO_WINDOW, start)
    if today > deadline.last_day:
        return Window(WindowState.FINAL, start, deadline)
    return Window(WindowState.OPEN, start, deadline)
