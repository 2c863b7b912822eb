"""Each case's plateau verdict, kept on the case (cases/services/plateau.py). The cases
already here are added unjudged (null): the rule is code, so they are judged once every
migration has run, by the receiver in cases/apps.py. Cases added from now on start as
"neither", as a case without scores is."""

from django.db import migrations, models

CHOICES = [
    ("", "Neither"),
    ("candidate", "Plateau candidate"),
    ("deteriorating", "Deteriorating"),
]
HELP = (
    "The plateau verdict of the case's scores and work statuses, kept here by the services "
    "that save them (cases/services/plateau.py) so the board's plateau and deterioration "
    "lists read an index; null for the cases migration 0024 found, until judged after the "
    "migrations (cases/apps.py)."
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0023_prepared_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="plateau",
            field=models.CharField(
                blank=True,
                choices=CHOICES,
                editable=False,
                help_text=HELP,
                max_length=13,
                null=True,
            ),
        ),
        # The default is Django's, not the database's: nothing to alter there (SQLite would
        # rebuild the table, and lose migration 0003's trigger, for nothing).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="plateau",
                    field=models.CharField(
                        blank=True,
                        choices=CHOICES,
                        default="",
                        editable=False,
                        help_text=HELP,
                        max_length=13,
                        null=True,
                    ),
                ),
            ]
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("plateau__gt", ""), ("status", "in_treatment")),
                fields=["plateau", "next_review_date", "id"],
                name="case_plateau_review",
            ),
        ),
    ]
