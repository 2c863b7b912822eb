"""The streaming replica the replica tests run against (tests/support/replica.py)."""

from tests.support.replica import postgres_replica

__all__ = ["postgres_replica"]
