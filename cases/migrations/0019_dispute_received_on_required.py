from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0018_periods_findings_received_dates"),
    ]

    operations = [
        migrations.AlterField(
            model_name='dispute',
            name='received_on',
            field=models.DateField(help_text='The day the dispute was received.', verbose_name='dispute received on'),
        ),
        migrations.AlterField(
            model_name='historicaldispute',
            name='received_on',
            field=models.DateField(help_text='The day the dispute was received.', verbose_name='dispute received on'),
        ),
    ]
