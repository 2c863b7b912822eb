"""Appending to the access log: the one function every read path calls."""

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from cases.models import Case, User
from mmi_tracker.addresses import client_address

from .models import AccessLogEntry

# pg_advisory_xact_lock key: serialises appends so each one sees the true last entry.
_CHAIN_LOCK = 0x4D4D49_4C4F47  # "MMI LOG"
_RETRIES = 4


def log_access(
    request: HttpRequest,
    *,
    action: AccessLogEntry.Action | str,
    case: Case | None = None,
    detail: str = "",
) -> AccessLogEntry:
    """Record that the request's user did `action` (on `case`), chained to the last entry.

    On PostgreSQL an advisory lock held to the end of the transaction makes appends take
    turns; SQLite serialises writers itself. The unique previous_hash is the backstop: a
    writer that lost a race retries on the new last entry instead of forking the chain.
    """
    return log_access_by(
        request.user if request.user.is_authenticated else None,
        action=action,
        case=case,
        detail=detail,
        client_address=client_address(request),
    )


def log_access_by(
    user: User | None,
    *,
    action: AccessLogEntry.Action | str,
    case: Case | None = None,
    detail: str = "",
    client_address: str | None = None,
) -> AccessLogEntry:
    """Record that `user` did `action` (on `case`) where there is no request to read them
    from: background work done on their behalf, such as a bulk export."""
    entry = AccessLogEntry(
        user=user,
        username=user.get_username() if user else "",
        case=case,
        action=action,
        detail=detail[:500],
        client_address=client_address,
    )
    for _ in range(_RETRIES):
        try:
            return _append(entry)
        except IntegrityError:
            entry = _unsaved_copy(entry)
    return _append(entry)


@transaction.atomic
def _append(entry: AccessLogEntry) -> AccessLogEntry:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last_hash = AccessLogEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first()
    entry.at = timezone.now()
    entry.previous_hash = last_hash or ""
    entry.entry_hash = entry.compute_hash()
    entry.save()
    return entry


def log_accesses_by(
    user: User,
    *,
    action: AccessLogEntry.Action | str,
    entries: list[tuple[Case | None, str]],
    client_address: str | None = None,
) -> list[AccessLogEntry]:
    """Record several accesses by `user` at once, as (case, detail) pairs chained in order:
    one turn of the chain lock and one insert however many, for background work that reads
    many reports (a bulk export) without holding up the pages that log one at a time."""

    def unsaved() -> list[AccessLogEntry]:
        return [
            AccessLogEntry(
                user=user,
                username=user.get_username(),
                case=case,
                action=action,
                detail=detail[:500],
                client_address=client_address,
            )
            for case, detail in entries
        ]

    for _ in range(_RETRIES):
        try:
            return _append_all(unsaved())
        except IntegrityError:
            pass
    return _append_all(unsaved())


@transaction.atomic
def _append_all(entries: list[AccessLogEntry]) -> list[AccessLogEntry]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
    last_hash = AccessLogEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first()
    at = timezone.now()
    for entry in entries:
        entry.at = at
        entry.previous_hash = last_hash or ""
        entry.entry_hash = last_hash = entry.compute_hash()
    # The model's own manager refuses bulk inserts so that nothing appends around this
    # module; these entries are chained above, in the order they are inserted.
    return AccessLogEntry._base_manager.bulk_create(entries)


def _unsaved_copy(entry: AccessLogEntry) -> AccessLogEntry:
    return AccessLogEntry(
        user=entry.user,
        username=entry.username,
        case=entry.case,
        action=entry.action,
        detail=entry.detail,
        client_address=entry.client_address,
    )
