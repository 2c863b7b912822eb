"""The fingerprint of a signed record: the SHA-256 of what was certified, written as
canonical JSON (keys sorted, no spaces; a moment in UTC, a day, a decimal as text), so the
same content always gives the same fingerprint, whichever time zone wrote or read it, and
any change gives another."""

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    raise TypeError(f"No canonical text for {type(value).__name__}")


def fingerprint(certified: Mapping[str, Any]) -> str:
    text = json.dumps(certified, sort_keys=True, separators=(",", ":"), default=_text)
    return hashlib.sha256(text.encode()).hexdigest()
