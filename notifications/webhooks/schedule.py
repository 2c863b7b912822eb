"""When a failed webhook call is tried again: five tries in all, each wait four times the
one before (30 s, 2 min, 8 min, 32 min), so a receiver down for most of an hour still gets
the call."""

ATTEMPTS = 5
FIRST_WAIT = 30  # seconds
FACTOR = 4


def wait_after(attempt: int) -> int | None:
    """Seconds to wait after try number ``attempt`` (from 1) failed; None after the last."""
    if attempt >= ATTEMPTS:
        return None
    return FIRST_WAIT * FACTOR ** (attempt - 1)
