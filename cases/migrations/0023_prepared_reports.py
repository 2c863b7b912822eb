"""Case.revision, which counts the changes to what a case's documents print, and the
renderings of case documents and drafts' documents kept ready for their next download
(cases/reports/preparing.py)."""

import django.db.models.deletion
from django.db import migrations, models


def restore_sqlite_guard(apps, schema_editor):
    """SQLite rebuilds cases_case to add a NOT NULL column, which drops its triggers: put
    back the one of migration 0003 that refuses a future date of injury (PostgreSQL keeps
    its trigger through ALTER TABLE)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    name = "cases_case_date_of_injury_not_future"
    message = "CHECK constraint failed: date of injury cannot be in the future"
    for event in ("INSERT", "UPDATE OF date_of_injury"):
        suffix = event.split()[0].lower()
        schema_editor.execute(
            f"""
            CREATE TRIGGER IF NOT EXISTS {name}_{suffix} BEFORE {event} ON cases_case
            WHEN NEW.date_of_injury > date('now')
            BEGIN SELECT RAISE(ABORT, '{message}'); END;
            """
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0022_search_terms_and_summaries'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='revision',
            field=models.PositiveIntegerField(default=0, editable=False, help_text="Counts the changes to what the case's documents print, so that a stored PDF is known to be current (cases/reports/revisions.py)."),
        ),
        migrations.CreateModel(
            name='PreparedReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('certification', 'MMI certification'), ('patient_letter', 'Letter to the patient'), ('case_summary', 'Case summary'), ('work_status', 'Work status report (employer copy)')], max_length=20)),
                ('revision', models.PositiveIntegerField(help_text="The case's revision this rendering shows.")),
                ('file', models.FileField(upload_to='reports/%Y/%m/')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the PDF')),
                ('content_sha256', models.CharField(max_length=64, verbose_name='SHA-256 of the content')),
                ('generated_at', models.DateTimeField()),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prepared_reports', to='cases.case')),
                ('determination', models.ForeignKey(blank=True, help_text='The draft whose document this is; empty for a case document.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='prepared_reports', to='cases.determination')),
                ('issued', models.OneToOneField(blank=True, help_text='The issued report its first download made, which owns the file from then on.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.issuedreport')),
            ],
            options={
                'constraints': [models.UniqueConstraint(condition=models.Q(('determination__isnull', True)), fields=('case', 'kind'), name='prepared_report_once_per_case_kind'), models.UniqueConstraint(condition=models.Q(('determination__isnull', False)), fields=('determination', 'kind'), name='prepared_report_once_per_draft_kind'), models.CheckConstraint(condition=models.Q(models.Q(('determination__isnull', False), ('issued__isnull', True), ('kind__in', ['certification', 'patient_letter'])), models.Q(('determination__isnull', True), ('kind__in', ['case_summary', 'work_status'])), _connector='OR'), name='prepared_report_kind_matches_subject')],
            },
        ),
        migrations.RunPython(restore_sqlite_guard, migrations.RunPython.noop),
    ]
