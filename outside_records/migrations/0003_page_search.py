"""Full-text search of the records' pages on PostgreSQL: a GIN index on the expression the
search filters on (outside_records/search.py), so the planner can use it. SQLite searches with
a plain match and gets no index; the model state does not change, so makemigrations stays
clean on both."""

from django.db import migrations

# The same expression as SearchVector("text", config="english") compiles to.
CREATE = (
    "CREATE INDEX IF NOT EXISTS record_page_text_search ON outside_records_recordpage "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(\"text\", '')))"
)
DROP = "DROP INDEX IF EXISTS record_page_text_search"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("outside_records", "0002_reading_pages"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
