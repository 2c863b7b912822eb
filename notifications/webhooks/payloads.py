"""What a webhook call says: the event, the record's ids, the claim number, the times, and
the API URLs to read the rest with the client's token, which decides what it may read. No
clinical content (no rating, no date of MMI, no name): a client reads those through the
API, where each read is in the access log."""

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from cases.models import Case, Determination, Dispute


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _api(name: str, pk: int) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=[pk])}"


def case_part(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "claim_number": case.claim_number,
        "url": _api("api:case-detail", case.pk),
    }


def determination_part(determination: Determination) -> dict[str, Any]:
    return {
        "id": determination.pk,
        "version": determination.version,
        "status": determination.status,
        "signed_at": _when(determination.signed_at),
        "rescinded_at": _when(determination.rescinded_at),
        "url": _api("api:determination-detail", determination.pk),
    }


def dispute_part(dispute: Dispute) -> dict[str, Any]:
    return {"id": dispute.pk, "recorded_at": _when(dispute.created_at)}


def body(*, delivery_id: int, event: str, occurred_at: datetime, parts: dict[str, Any]) -> str:
    """The JSON text sent, signed, exactly as stored."""
    return json.dumps(
        {"id": delivery_id, "event": event, "occurred_at": occurred_at.isoformat(), **parts},
        separators=(",", ":"),
        sort_keys=True,
    )
