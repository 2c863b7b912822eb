"""Signed determinations, their steps and issued reports are protected in PostgreSQL
itself: triggers refuse to change or delete them, so even raw SQL run by the application's
own connection fails (the models refuse first, with their own words; docs/security.md).

- A determination that is no longer a draft may only move along its lifecycle (status to
  superseded or rescinded, and the rescinding's who, when and why); it is never changed
  otherwise, never put back to draft and never deleted.
- The steps of such a determination are never changed or deleted.
- An issued report is never changed or deleted.

The comparison covers every column but the lifecycle ones, whatever columns are added later.
SQLite, a development and test database, keeps the models' guards only: Django empties its
tables with DELETE between tests, which such triggers would refuse."""

from django.db import migrations

LIFECYCLE = [
    "status",
    "rescinded_at",
    "rescinded_by_id",
    "rescind_category",
    "rescind_reason",
    "updated_at",
]
SIGNED_CHANGED = "A signed determination cannot be changed: corrections are made by amendment."
SIGNED_DELETED = "A signed determination cannot be deleted."
STEP_CHANGED = "The steps of a signed determination cannot be changed or deleted."
REPORT_CHANGED = "An issued report cannot be changed or deleted."

POSTGRESQL = f"""
CREATE FUNCTION signed_determination_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '{SIGNED_DELETED}' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.status = 'draft'
        OR to_jsonb(NEW) - ARRAY{LIFECYCLE!r} IS DISTINCT FROM to_jsonb(OLD) - ARRAY{LIFECYCLE!r}
    THEN
        RAISE EXCEPTION '{SIGNED_CHANGED}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER signed_determination_guard BEFORE UPDATE OR DELETE ON cases_determination
    FOR EACH ROW EXECUTE FUNCTION signed_determination_guard();

CREATE FUNCTION signed_step_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM cases_determination
        WHERE id = OLD.determination_id AND status <> 'draft'
    ) THEN
        RAISE EXCEPTION '{STEP_CHANGED}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER signed_step_guard BEFORE UPDATE OR DELETE ON cases_determinationstep
    FOR EACH ROW EXECUTE FUNCTION signed_step_guard();

CREATE FUNCTION issued_report_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{REPORT_CHANGED}' USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER issued_report_guard BEFORE UPDATE OR DELETE ON cases_issuedreport
    FOR EACH ROW EXECUTE FUNCTION issued_report_guard();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER signed_determination_guard ON cases_determination;
DROP FUNCTION signed_determination_guard();
DROP TRIGGER signed_step_guard ON cases_determinationstep;
DROP FUNCTION signed_step_guard();
DROP TRIGGER issued_report_guard ON cases_issuedreport;
DROP FUNCTION issued_report_guard();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0025_worklist_indexes"),
    ]

    operations = [migrations.RunPython(install, remove, elidable=False)]
