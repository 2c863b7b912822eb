"""Florida's statewide average weekly wage by calendar year of injury, whose 100 % is the
maximum compensation rate (Florida Statutes 440.12(2); docs/domain.md §4), as reference data
an administrator edits; and help texts that say what a period and an amount are for Florida.

The figures are copied here, not imported from cases/domain/jurisdictions/florida.py, so this
migration keeps seeding what it seeded whatever that module later says. A test checks the two
agree.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations, models

# (calendar year of injury, amount, source): the same rows as
# FLORIDA_STATE_AVERAGE_WEEKLY_WAGES when this migration was written.
FIGURES = (
    (
        2025,
        Decimal("1295.00"),
        "Florida Division of Workers' Compensation: maximum weekly compensation rate for "
        "dates of accident 1 Jan – 31 Dec 2025, $1,295 (100 % of the statewide average "
        "weekly wage, Florida Statutes 440.12(2))",
    ),
)

EFFECTIVE_FROM_HELP = "First date of injury it applies to (Texas: 1 October; Florida: 1 January)."
EFFECTIVE_TO_HELP = "Last date of injury it applies to (Texas: 30 September; Florida: 31 December)."
AMOUNT_HELP = (
    "Texas: the state average weekly wage of the fiscal year. Florida: the statewide average "
    "weekly wage of the calendar year, which the Division publishes as the maximum weekly "
    "compensation rate (100 % of it)."
)


def add_florida_figures(apps, schema_editor):
    """Seed each Florida calendar year with its source; a row already there is kept."""
    wages = apps.get_model("cases", "StateAverageWeeklyWage")
    for year, amount, source in FIGURES:
        wages.objects.get_or_create(
            jurisdiction="FL",
            effective_from=date(year, 1, 1),
            defaults={"effective_to": date(year, 12, 31), "amount": amount, "source": source},
        )


def remove_florida_figures(apps, schema_editor):
    wages = apps.get_model("cases", "StateAverageWeeklyWage")
    for year, _, _ in FIGURES:
        wages.objects.filter(jurisdiction="FL", effective_from=date(year, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_report_export_scope"),
    ]

    operations = [
        migrations.AlterField(
            model_name="stateaverageweeklywage",
            name="effective_from",
            field=models.DateField(help_text=EFFECTIVE_FROM_HELP),
        ),
        migrations.AlterField(
            model_name="stateaverageweeklywage",
            name="effective_to",
            field=models.DateField(help_text=EFFECTIVE_TO_HELP),
        ),
        migrations.AlterField(
            model_name="stateaverageweeklywage",
            name="amount",
            field=models.DecimalField(
                decimal_places=2,
                help_text=AMOUNT_HELP,
                max_digits=9,
                verbose_name="amount ($ a week)",
            ),
        ),
        migrations.AlterField(
            model_name="historicalstateaverageweeklywage",
            name="effective_from",
            field=models.DateField(help_text=EFFECTIVE_FROM_HELP),
        ),
        migrations.AlterField(
            model_name="historicalstateaverageweeklywage",
            name="effective_to",
            field=models.DateField(help_text=EFFECTIVE_TO_HELP),
        ),
        migrations.AlterField(
            model_name="historicalstateaverageweeklywage",
            name="amount",
            field=models.DecimalField(
                decimal_places=2,
                help_text=AMOUNT_HELP,
                max_digits=9,
                verbose_name="amount ($ a week)",
            ),
        ),
        migrations.RunPython(add_florida_figures, remove_florida_figures),
    ]
