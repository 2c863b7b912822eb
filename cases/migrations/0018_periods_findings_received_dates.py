"""Data for the periods of disability, the impairment determination and the dispute's
received date."""

import datetime

from django.db import migrations, models
from django.utils import timezone

# Texas statutory MMI as the rule stood when this migration was written (28 TAC 124.7(a),
# Labor Code 401.011(30)): accrual on the 8th day of disability, MMI 728 days later. Copied
# here so the migration never changes with the live code. Existing cases had one continuous
# period of disability from their first day.
TIB_ACCRUAL_AFTER_FIRST_DAY = datetime.timedelta(days=7)
STATUTORY_MMI_AFTER_ACCRUAL = datetime.timedelta(days=728)


def forwards(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    DisabilityPeriod = apps.get_model("cases", "DisabilityPeriod")
    Determination = apps.get_model("cases", "Determination")
    Dispute = apps.get_model("cases", "Dispute")

    periods = []
    for case in Case.objects.exclude(disability_began=None).iterator():
        periods.append(DisabilityPeriod(case_id=case.pk, began=case.disability_began))
        if case.jurisdiction == "TX":
            case.statutory_mmi_date = (
                case.disability_began + TIB_ACCRUAL_AFTER_FIRST_DAY + STATUTORY_MMI_AFTER_ACCRUAL
            )
            case.save(update_fields=["statutory_mmi_date"])
    DisabilityPeriod.objects.bulk_create(periods, batch_size=1000)

    # What was certified stays as certified: a rating is "permanent impairment of N %", and
    # MMI certified without a rating is "no permanent impairment".
    at_mmi = Determination.objects.filter(mmi_reached=True)
    at_mmi.exclude(impairment_rating=None).update(impairment_finding="rated")
    at_mmi.filter(impairment_rating=None).update(impairment_finding="none")

    # Disputes recorded before the received date was kept were received when recorded.
    for dispute in Dispute.objects.filter(received_on=None).iterator():
        dispute.received_on = max(timezone.localdate(dispute.created_at), dispute.notice_date)
        dispute.save(update_fields=["received_on"])


def restore_sqlite_guard(apps, schema_editor):
    """SQLite rebuilt cases_case for the schema change before this migration, which drops
    its triggers: put back the one of migration 0003 that refuses a future date of injury
    (PostgreSQL keeps its trigger through ALTER TABLE)."""
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


def backwards(apps, schema_editor):
    apps.get_model("cases", "DisabilityPeriod").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0017_periods_impairment_finding_late_disputes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(restore_sqlite_guard, migrations.RunPython.noop),
    ]
