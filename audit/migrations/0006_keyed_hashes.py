"""Access log hashes keyed with AUDIT_LOG_KEY from now on; the entries already written keep
their plain SHA-256 and are marked so (keyed false)."""

from django.db import migrations, models

HELP = (
    "Hashed with AUDIT_LOG_KEY (HMAC-SHA-256); false only for the entries written before the "
    "key was introduced (plain SHA-256)."
)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_access_log_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslogentry",
            name="keyed",
            field=models.BooleanField(default=False, editable=False, help_text=HELP),
        ),
        # Entries added from now on are keyed: Django's default, nothing in the database.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accesslogentry",
                    name="keyed",
                    field=models.BooleanField(default=True, editable=False, help_text=HELP),
                ),
            ]
        ),
    ]
