"""The case events (cases/events.py) that API clients hear of by webhook: a certification
signed, amended or rescinded, a dispute recorded."""

from typing import Any

from cases import events
from cases.models import Determination, Dispute

from . import payloads
from .services import deliveries_make


def on_signed(sender: type, *, determination: Determination, **kwargs: Any) -> None:
    assert determination.signed_at is not None
    deliveries_make(
        event="certification.signed",
        determination=determination,
        occurred_at=determination.signed_at,
        parts={"determination": payloads.determination_part(determination)},
    )


def on_amended(
    sender: type, *, determination: Determination, superseded: Determination, **kwargs: Any
) -> None:
    assert determination.signed_at is not None
    deliveries_make(
        event="certification.amended",
        determination=determination,
        occurred_at=determination.signed_at,
        parts={
            "determination": payloads.determination_part(determination),
            "superseded": payloads.determination_part(superseded),
        },
    )


def on_rescinded(sender: type, *, determination: Determination, **kwargs: Any) -> None:
    assert determination.rescinded_at is not None
    deliveries_make(
        event="certification.rescinded",
        determination=determination,
        occurred_at=determination.rescinded_at,
        parts={"determination": payloads.determination_part(determination)},
    )


def on_dispute(sender: type, *, dispute: Dispute, **kwargs: Any) -> None:
    deliveries_make(
        event="dispute.recorded",
        determination=dispute.determination,
        occurred_at=dispute.created_at,
        parts={
            "determination": payloads.determination_part(dispute.determination),
            "dispute": payloads.dispute_part(dispute),
        },
    )


def connect() -> None:
    """Called once, from the app's ``ready()``."""
    for signal, receiver in (
        (events.certification_signed, on_signed),
        (events.certification_amended, on_amended),
        (events.certification_rescinded, on_rescinded),
        (events.dispute_recorded, on_dispute),
    ):
        signal.connect(receiver, dispatch_uid=f"webhooks-{receiver.__name__}")
