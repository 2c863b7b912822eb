"""The test database's rows copied, table by table, into tables of their own and put back in
one transaction: the browser tests each start from the demo, seeded once per worker, and the
tests that run after them on the same worker find the database as the migrations left it.

Plain SQL rather than Django's serializer: a browser test's setup takes 0.7-0.9 s this way,
1.8 s when the demo was loaded again object by object, and every column comes back as it
was stored."""

from django.core.management.color import no_style
from django.db import connection, transaction


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


class Snapshot:
    """Every model table's rows, kept in tables named ``<name>_<table>``."""

    def __init__(self, name: str):
        self.name = name
        self.tables: list[str] | None = None

    @property
    def taken(self) -> bool:
        return self.tables is not None

    def _copy(self, table: str) -> str:
        return _quoted(f"{self.name}_{table}")

    def take(self) -> None:
        self.tables = sorted(connection.introspection.django_table_names(only_existing=True))
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"DROP TABLE IF EXISTS {self._copy(table)}")
                cursor.execute(
                    f"CREATE TABLE {self._copy(table)} AS SELECT * FROM {_quoted(table)}"
                )

    def restore(self) -> None:
        """Empty the tables as Django's flush does (on PostgreSQL a TRUNCATE, which the guards
        of signed records let through) and fill them from their copies. The foreign keys are
        checked at commit, so the order of the tables does not matter."""
        assert self.tables is not None, f"The {self.name} snapshot was never taken."
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in connection.ops.sql_flush(no_style(), self.tables):
                cursor.execute(statement)
            for table in self.tables:
                cursor.execute(f"INSERT INTO {_quoted(table)} SELECT * FROM {self._copy(table)}")
