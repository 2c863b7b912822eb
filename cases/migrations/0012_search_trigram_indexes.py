"""Trigram indexes for the case list's search on PostgreSQL (CaseFilter.search).

The search matches each word anywhere in the patient's first or last name and in the claim
numbers (icontains, which Django writes as UPPER(column::text) LIKE UPPER('%word%')); a
GIN trigram index on that same expression lets PostgreSQL find the matches without reading
every row. SQLite has no trigram indexes: there the search reads the rows.
"""

from django.db import migrations

INDEXES = [
    # (index name, table, column)
    ("patient_first_name_trgm", "cases_patient", "first_name"),
    ("patient_last_name_trgm", "cases_patient", "last_name"),
    ("case_claim_number_trgm", "cases_case", "claim_number"),
    ("case_state_claim_number_trgm", "cases_case", "state_claim_number"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_assessment_date_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
