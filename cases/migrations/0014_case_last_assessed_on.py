"""The date of each case's latest assessment, kept on the case, and the index the "no
assessment in 30 days" worklist reads: the cases in treatment, never assessed first, then
longest since the last assessment (cases/selectors/worklists.py, assessment_overdue).

SQLite sorts NULL first in ascending order and refuses NULLS FIRST in an index; PostgreSQL
sorts NULL last unless the index says otherwise.
"""

from django.db import migrations, models

# Fills the new column from the assessments already recorded.
BACKFILL = """
UPDATE cases_case SET last_assessed_on = (
    SELECT MAX(assessment.date) FROM cases_assessment AS assessment
    WHERE assessment.case_id = cases_case.id
)
"""


def create_index(apps, schema_editor):
    nulls_first = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        "CREATE INDEX case_status_last_assessed ON cases_case "
        f"(status, last_assessed_on ASC{nulls_first}, id)"
    )


def drop_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX case_status_last_assessed")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_texas_saww_2025_2026"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="last_assessed_on",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The date of the latest assessment, kept here by Assessment.save() "
                'and delete() so the "no assessment in 30 days" worklists read an index.',
                null=True,
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
