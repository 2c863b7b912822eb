"""Lifting PostgreSQL's guards on signed records (migrations cases 0026 and audit 0005) for
a test that must write what no application path may: a signature backdated, or the
tampering an attacker with the tables' owner's rights could do. SQLite has no such
guards."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

GUARDED = (
    "cases_determination",
    "cases_determinationstep",
    "cases_issuedreport",
    "audit_accesslogentry",
)


@contextmanager
def guards_lifted() -> Iterator[None]:
    """As the tables' owner can: ALTER TABLE … DISABLE TRIGGER, put back on leaving (and
    rolled back with the test's transaction anyway)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # A table with foreign key checks still pending in the transaction cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in GUARDED:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in GUARDED:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
