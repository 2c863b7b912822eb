from django.db import migrations, models

# Exports asked for before the scope was kept: a filter on record means "every case in it".
BACKFILL = "UPDATE cases_reportexport SET scope = 'filter' WHERE filter_query <> ''"


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_case_last_assessed_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportexport",
            name="scope",
            field=models.CharField(
                choices=[
                    ("selected", "The cases ticked on the case list"),
                    ("filter", "Every case in the case list's filter"),
                ],
                default="selected",
                max_length=10,
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
