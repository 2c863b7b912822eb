"""The access log is append-only in PostgreSQL itself: a trigger refuses to change or delete
an entry, so even raw SQL run by the application's own connection fails (the model refuses
first; docs/security.md). SQLite, a development and test database, keeps the model's guard
only (Django empties its tables with DELETE between tests)."""

from django.db import migrations

REFUSED = "The access log is append-only: an entry cannot be changed or deleted."

POSTGRESQL = f"""
CREATE FUNCTION access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER access_log_guard BEFORE UPDATE OR DELETE ON audit_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION access_log_guard();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER access_log_guard ON audit_accesslogentry;
DROP FUNCTION access_log_guard();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_document_refused_action"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
