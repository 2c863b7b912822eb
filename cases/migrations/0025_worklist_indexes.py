"""Indexes that give the board's and the adjuster's lists in their own order, so each page
reads its first rows and stops: reviews, statutory MMI, drafts by age, dispute windows and
work statuses by the day they fall due, the newest certifications finding MMI."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0024_case_plateau"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_review_due",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_statutory_mmi",
        ),
        migrations.RemoveIndex(
            model_name="determination",
            name="determination_window",
        ),
        migrations.RemoveIndex(
            model_name="workstatus",
            name="work_status_expiry",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["statutory_mmi_date", "id"], name="case_statutory_mmi"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["next_review_date", "id"], name="case_review_due"),
        ),
        migrations.AddIndex(
            model_name="determination",
            index=models.Index(
                fields=["status", "dispute_deadline", "id"], name="determination_window"
            ),
        ),
        migrations.AddIndex(
            model_name="determination",
            index=models.Index(
                condition=models.Q(("status", "draft")),
                fields=["started_at", "id"],
                name="determination_draft_age",
            ),
        ),
        migrations.AddIndex(
            model_name="determination",
            index=models.Index(
                models.OrderBy(models.F("signed_at"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                condition=models.Q(("mmi_reached", True), ("status", "signed")),
                name="determination_newly_at_mmi",
            ),
        ),
        migrations.AddIndex(
            model_name="workstatus",
            index=models.Index(fields=["expected_through", "id"], name="work_status_expiry"),
        ),
    ]
