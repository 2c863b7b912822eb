"""Reporting pages read the replica database (DATABASE_REPLICA_URL) when there is one.

A router cannot tell which page is running, so a reporting view says so with
`@reads_replica`: while that view runs, reads go to the "replica" alias if it is configured.
Everything else stays on "default": sessions and authentication (middleware, before and after
the view), every write and the migrations.

A streaming replica trails the primary by its replication lag, usually under a second but
seconds under load, so a reporting page may not yet count a change made a moment ago. Only
pages that read aggregates and never need to see their own writes use it (docs/scaling.md).
"""

from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"

P = ParamSpec("P")
R = TypeVar("R")

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def reads_replica(view: Callable[P, R]) -> Callable[P, R]:
    """Sends the view's reads to the replica, when one is configured. Only for what the view
    itself runs: a response rendered or streamed after it returns reads "default"."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _reading_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _reading_replica.reset(token)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reading_replica.get() and REPLICA in connections:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # Explicit, or Django would save a row read from the replica back to the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # Both aliases hold the same rows.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
