"""A signed determination's fingerprint: the SHA-256 of what it certifies
(Determination.certified_content), set at signing from now on and worked out here for the
determinations signed before, from what they hold today, so that manage.py verify_records
has a reference for every signed record. PostgreSQL's guard of migration 0026 is lifted for
this one write."""

from django.db import migrations, models

from cases.domain.fingerprints import fingerprint

# Determination.UNCERTIFIED_FIELDS as this migration finds it.
UNCERTIFIED = {
    "status",
    "rescinded_at",
    "rescinded_by",
    "rescind_category",
    "rescind_reason",
    "updated_at",
    "id",
    "started_at",
    "fingerprint",
}


def fill(apps, schema_editor):
    Determination = apps.get_model("cases", "Determination")
    DeterminationStep = apps.get_model("cases", "DeterminationStep")
    fields = [
        field
        for field in Determination._meta.concrete_fields
        if field.name not in UNCERTIFIED
    ]
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(
            "ALTER TABLE cases_determination DISABLE TRIGGER signed_determination_guard"
        )
    for determination in Determination.objects.exclude(status="draft").iterator():
        content = {
            field.attname: field.to_python(getattr(determination, field.attname))
            for field in fields
        }
        content["steps"] = {
            step.slug: step.answers
            for step in DeterminationStep.objects.filter(determination=determination)
        }
        Determination.objects.filter(pk=determination.pk).update(
            fingerprint=fingerprint(content)
        )
    if postgresql:
        schema_editor.execute(
            "ALTER TABLE cases_determination ENABLE TRIGGER signed_determination_guard"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0026_signed_records_guarded'),
    ]

    operations = [
        migrations.AddField(
            model_name='determination',
            name='fingerprint',
            field=models.CharField(blank=True, editable=False, help_text="Set at signing from what it certifies (certified_content); manage.py verify_records works it out again.", max_length=64, verbose_name='SHA-256 of what was certified'),
        ),
        migrations.AddField(
            model_name='historicaldetermination',
            name='fingerprint',
            field=models.CharField(blank=True, editable=False, help_text="Set at signing from what it certifies (certified_content); manage.py verify_records works it out again.", max_length=64, verbose_name='SHA-256 of what was certified'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
