"""The test database's rows copied, table by table, into tables of their own and put back in
one transaction: the browser tests each start from the demo, seeded once per worker.

Plain SQL rather than Django's serializer: a browser test's setup takes 0.7-0.9 s this way,
1.8 s when the demo was loaded again object by object, and every column comes back as it
was stored."""

from django.core.management.color import no_style
from django.db import connection, transaction

PREFIX = "snapshot_"


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def snapshot_take() -> list[str]:
    """Copy every model table; the names of the tables copied."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {_quoted(PREFIX + table)}")
            cursor.execute(
                f"CREATE TABLE {_quoted(PREFIX + table)} AS SELECT * FROM {_quoted(table)}"
            )
    return tables


def snapshot_restore(tables: list[str]) -> None:
    """Empty the tables as Django's flush does (on PostgreSQL a TRUNCATE, which the guards of
    signed records let through) and fill them from their copies. The foreign keys are checked
    at commit, so the order of the tables does not matter."""
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(statement)
        for table in tables:
            cursor.execute(f"INSERT INTO {_quoted(table)} SELECT * FROM {_quoted(PREFIX + table)}")
