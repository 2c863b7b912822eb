"""Seed the outcome instruments of docs/domain.md §5 as editable reference data.

The values are copied here, not imported, so this migration never changes with the code."""

from decimal import Decimal

from django.db import migrations

INSTRUMENTS = (
    (
        'NPRS',
        {
            'name': 'Numeric Pain Rating Scale',
            'minimum': Decimal("0"),
            'maximum': Decimal("10"),
            'alternative_maximum': None,
            'unit': '',
            'higher_is_better': False,
            'mcid': Decimal("2"),
            'mcid_percent': Decimal("30"),
            'source': 'Farrar 2001; Ostelo 2008',
        },
    ),
    (
        'VAS',
        {
            'name': 'Visual Analogue Scale (pain)',
            'minimum': Decimal("0"),
            'maximum': Decimal("100"),
            'alternative_maximum': None,
            'unit': 'mm',
            'higher_is_better': False,
            'mcid': Decimal("15"),
            'mcid_percent': None,
            'source': 'Ostelo 2008',
        },
    ),
    (
        'ODI',
        {
            'name': 'Oswestry Disability Index',
            'minimum': Decimal("0"),
            'maximum': Decimal("100"),
            'alternative_maximum': None,
            'unit': '%',
            'higher_is_better': False,
            'mcid': Decimal("10"),
            'mcid_percent': None,
            'source': 'Ostelo 2008',
        },
    ),
    (
        'RMDQ',
        {
            'name': 'Roland-Morris Disability Questionnaire',
            'minimum': Decimal("0"),
            'maximum': Decimal("24"),
            'alternative_maximum': None,
            'unit': '',
            'higher_is_better': False,
            'mcid': Decimal("5"),
            'mcid_percent': None,
            'source': 'Ostelo 2008',
        },
    ),
    (
        'NDI',
        {
            'name': 'Neck Disability Index',
            'minimum': Decimal("0"),
            'maximum': Decimal("50"),
            'alternative_maximum': 100,
            'unit': '',
            'higher_is_better': False,
            'mcid': Decimal("7.5"),
            'mcid_percent': None,
            'source': 'Young 2009 (Spine J 9:802)',
        },
    ),
    (
        'DASH',
        {
            'name': 'Disabilities of the Arm, Shoulder and Hand',
            'minimum': Decimal("0"),
            'maximum': Decimal("100"),
            'alternative_maximum': None,
            'unit': '',
            'higher_is_better': False,
            'mcid': Decimal("10.83"),
            'mcid_percent': None,
            'source': 'Franchignoni 2014 (JOSPT 44:30)',
        },
    ),
    (
        'QuickDASH',
        {
            'name': 'QuickDASH (short DASH)',
            'minimum': Decimal("0"),
            'maximum': Decimal("100"),
            'alternative_maximum': None,
            'unit': '',
            'higher_is_better': False,
            'mcid': Decimal("15.91"),
            'mcid_percent': None,
            'source': 'Franchignoni 2014 (JOSPT 44:30)',
        },
    ),
    (
        'LEFS',
        {
            'name': 'Lower Extremity Functional Scale',
            'minimum': Decimal("0"),
            'maximum': Decimal("80"),
            'alternative_maximum': None,
            'unit': '',
            'higher_is_better': True,
            'mcid': Decimal("9"),
            'mcid_percent': None,
            'source': 'Binkley 1999',
        },
    ),
    (
        'PSFS',
        {
            'name': 'Patient-Specific Functional Scale (mean of 3–5 items)',
            'minimum': Decimal("0"),
            'maximum': Decimal("10"),
            'alternative_maximum': None,
            'unit': '',
            'higher_is_better': True,
            'mcid': Decimal("2"),
            'mcid_percent': None,
            'source': 'Stratford 1995; Rysstad 2020',
        },
    ),
    (
        'PHQ-9',
        {
            'name': 'Patient Health Questionnaire-9 (mood)',
            'minimum': Decimal("0"),
            'maximum': Decimal("27"),
            'alternative_maximum': None,
            'unit': '',
            'higher_is_better': False,
            'mcid': Decimal("5"),
            'mcid_percent': None,
            'source': 'Löwe 2004',
        },
    ),
)


def seed_instruments(apps, schema_editor):
    Instrument = apps.get_model("cases", "Instrument")
    for abbreviation, values in INSTRUMENTS:
        Instrument.objects.update_or_create(abbreviation=abbreviation, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed_instruments, migrations.RunPython.noop)]
