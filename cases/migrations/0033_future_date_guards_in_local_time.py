"""The guards of migration 0003 read "today" in the project's time zone (TIME_ZONE), as the
forms do: they read it in UTC, which let through tomorrow's date for six hours every evening
in Texas.

PostgreSQL reads the zone from the connection's `mmi.time_zone`, which settings.py sets from
TIME_ZONE, so a changed TIME_ZONE needs no migration; a connection without it (psql) falls
back to its own TimeZone. SQLite's `localtime` is the process's zone, which Django sets to
TIME_ZONE."""

from django.db import migrations

GUARDS = [
    # table, column, message
    ("cases_case", "date_of_injury", "date of injury cannot be in the future"),
    ("cases_patient", "date_of_birth", "date of birth cannot be in the future"),
]

POSTGRESQL_TODAY = (
    "(now() AT TIME ZONE coalesce("
    "nullif(current_setting('mmi.time_zone', true), ''), current_setting('TimeZone')))::date"
)


def create_guards(schema_editor, today_on_postgresql, today_on_sqlite):
    for table, column, message in GUARDS:
        name = f"{table}_{column}_not_future"
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN
                    IF NEW.{column} > {today_on_postgresql} THEN
                        RAISE EXCEPTION '{message}' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql;
                """
            )
        elif schema_editor.connection.vendor == "sqlite":
            for event in ("INSERT", f"UPDATE OF {column}"):
                suffix = event.split()[0].lower()
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
                schema_editor.execute(
                    f"""
                    CREATE TRIGGER {name}_{suffix} BEFORE {event} ON {table}
                    WHEN NEW.{column} > {today_on_sqlite}
                    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {message}'); END;
                    """
                )


def forwards(apps, schema_editor):
    """Also for a later migration after which SQLite has rebuilt cases_case or cases_patient,
    which drops their triggers."""
    create_guards(schema_editor, POSTGRESQL_TODAY, "date('now', 'localtime')")


def backwards(apps, schema_editor):
    create_guards(schema_editor, "CURRENT_DATE", "date('now')")


class Migration(migrations.Migration):
    dependencies = [("cases", "0032_dispute_issue")]

    operations = [migrations.RunPython(forwards, backwards)]
