"""The access log is append-only in the database itself: a trigger refuses to change or
delete an entry, so even raw SQL run by the application's own connection fails (the model
refuses first; docs/security.md)."""

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
EVENTS = ("UPDATE", "DELETE")


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
        return
    for event in EVENTS:
        schema_editor.execute(
            f"CREATE TRIGGER access_log_{event.lower()} BEFORE {event} ON audit_accesslogentry "
            f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {REFUSED}'); END"
        )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
        return
    for event in EVENTS:
        schema_editor.execute(f"DROP TRIGGER access_log_{event.lower()}")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_document_refused_action"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
