"""Work done once per transaction however many changes ask for it: a case changed by ten
saves has its documents asked for once (cases/reports/revisions.py) and its diary rules
applied once (diaries/receivers.py), after the commit."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass
class _Once:
    work: Callable[[], None]
    key: Hashable
    waiting: "dict[Hashable, _Once]"

    def __call__(self) -> None:
        # Waiting until its first callback runs; the others then find it gone.
        if self.waiting.get(self.key) is not self:
            return
        del self.waiting[self.key]
        self.work()


# The work still to run after the current transaction of each connection (one transaction
# per connection at a time), by key.
_waiting: "WeakKeyDictionary[BaseDatabaseWrapper, dict[Hashable, _Once]]" = WeakKeyDictionary()


def on_commit_once(key: Hashable, work: Callable[[], None]) -> None:
    """Run ``work`` after the current transaction commits, unless work of the same ``key``
    was asked for in it already (the first ``work`` asked for is the one run). Outside a
    transaction it runs at once, as with ``transaction.on_commit``.

    Each call registers a callback of its own, so that one survives whichever savepoint
    rolls back; the callbacks of one key share a ``_Once`` until the first of them runs."""
    waiting = _waiting.setdefault(transaction.get_connection(), {})
    once = waiting.get(key)
    if once is None:
        once = waiting[key] = _Once(work, key, waiting)
    transaction.on_commit(once, robust=True)
