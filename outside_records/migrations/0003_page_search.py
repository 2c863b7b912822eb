"""Full-text search of the records' pages on PostgreSQL (outside_records/search.py): each page's
words in a tsvector column, filled by the database itself whenever a page is written (the
built-in tsvector_update_trigger), with a GIN index. Kept as a column rather than an index on
an expression so that no plan ever has to work out the words of every page again. On SQLite
the column stays empty and search is a plain match."""

import django.contrib.postgres.search
from django.db import migrations

FORWARD = [
    "CREATE INDEX record_page_search_vector ON outside_records_recordpage USING gin "
    "(search_vector)",
    "CREATE TRIGGER record_page_search_vector BEFORE INSERT OR UPDATE "
    "ON outside_records_recordpage FOR EACH ROW EXECUTE FUNCTION "
    "tsvector_update_trigger(search_vector, 'pg_catalog.english', text)",
    "UPDATE outside_records_recordpage SET search_vector = to_tsvector('pg_catalog.english', text)",
]
BACKWARD = [
    "DROP TRIGGER record_page_search_vector ON outside_records_recordpage",
    "DROP INDEX record_page_search_vector",
]


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("outside_records", "0002_reading_pages"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordpage",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="The page's words, stemmed in English: written by PostgreSQL.",
                null=True,
            ),
        ),
        migrations.RunPython(create_search, drop_search, elidable=False),
    ]
