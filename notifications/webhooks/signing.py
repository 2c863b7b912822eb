"""The signature on each webhook call (docs/api.md, "Webhooks").

Two headers: ``X-MMI-Timestamp``, the call's time in whole seconds since 1970 (UTC), and
``X-MMI-Signature``, ``sha256=`` and the hex HMAC-SHA256, keyed with the client's secret, of
the timestamp, a full stop and the body's bytes. The timestamp is signed with the body, so
a call recorded and sent again later is refused by a receiver that allows only a few
minutes' difference (``TOLERANCE``).
"""

import hashlib
import hmac

TIMESTAMP_HEADER = "X-MMI-Timestamp"
SIGNATURE_HEADER = "X-MMI-Signature"
TOLERANCE = 300  # seconds


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(secret: str, body: bytes, timestamp: str, signed: str, *, now: int) -> bool:
    """What a receiver checks: the signature matches and the timestamp is recent."""
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent) > TOLERANCE:
        return False
    return hmac.compare_digest(signature(secret, sent, body), signed)
