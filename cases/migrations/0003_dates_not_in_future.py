"""Triggers that refuse dates in the future: a CHECK constraint cannot read the clock on
SQLite, and PostgreSQL only re-checks one on writes anyway, which is all a trigger does."""

from django.db import migrations

GUARDS = [
    # table, column, message
    ("cases_case", "date_of_injury", "date of injury cannot be in the future"),
    ("cases_patient", "date_of_birth", "date of birth cannot be in the future"),
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, column, message in GUARDS:
        name = f"{table}_{column}_not_future"
        if vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN
                    IF NEW.{column} > CURRENT_DATE THEN
                        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql;
                CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {column} ON {table}
                    FOR EACH ROW EXECUTE FUNCTION {name}();
                """
            )
        elif vendor == "sqlite":
            for event in ("INSERT", f"UPDATE OF {column}"):
                suffix = event.split()[0].lower()
                schema_editor.execute(
                    f"""
                    CREATE TRIGGER {name}_{suffix} BEFORE {event} ON {table}
                    WHEN NEW.{column} > date('now')
                    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {message}'); END;
                    """
                )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, column, _ in GUARDS:
        name = f"{table}_{column}_not_future"
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_insert")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_update")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_instruments")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
