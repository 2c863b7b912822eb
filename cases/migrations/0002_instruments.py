"""Seed the outcome instruments of DOMAIN.md §5 as editable reference data."""

from django.db import migrations

from cases.domain.outcomes import DOMAIN_INSTRUMENTS


def seed_instruments(apps, schema_editor):
    Instrument = apps.get_model("cases", "Instrument")
    for spec in DOMAIN_INSTRUMENTS:
        Instrument.objects.update_or_create(
            abbreviation=spec.abbreviation,
            defaults={
                "name": spec.name,
                "minimum": spec.minimum,
                "maximum": spec.maximum,
                # NDI may also be recorded on the 0–100 % scale.
                "alternative_maximum": 100 if spec.points_scale else None,
                "unit": "" if spec.unit == "points" else spec.unit,
                "higher_is_better": spec.higher_is_better,
                "mcid": spec.mcid,
                "mcid_percent": spec.mcid_percent,
                "source": spec.source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed_instruments, migrations.RunPython.noop)]
