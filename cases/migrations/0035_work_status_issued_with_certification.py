"""A work status remembers the signed MMI certification that issued it; a return with the
permanent restrictions that certification set runs through no date."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0034_report_export_left_out")]

    operations = [
        migrations.RemoveConstraint(
            model_name="workstatus",
            name="work_status_limited_has_end",
        ),
        migrations.AddField(
            model_name="historicalworkstatus",
            name="determination",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="cases.determination",
                verbose_name="issued with the certification",
            ),
        ),
        migrations.AddField(
            model_name="workstatus",
            name="determination",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="work_statuses",
                to="cases.determination",
                verbose_name="issued with the certification",
            ),
        ),
        migrations.AddConstraint(
            model_name="workstatus",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind", "full_duty"),
                    ("expected_through__isnull", False),
                    models.Q(("determination__isnull", False), ("kind", "restricted")),
                    _connector="OR",
                ),
                name="work_status_limited_has_end",
            ),
        ),
    ]
