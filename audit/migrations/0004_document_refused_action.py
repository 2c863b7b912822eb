"""The access log records a refused download of a document altered since it was stored."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_case_list_csv_label'),
    ]

    operations = [
        migrations.AlterField(
            model_name='accesslogentry',
            name='action',
            field=models.CharField(choices=[('case_view', 'Viewed case'), ('case_history_view', 'Viewed case history'), ('report_download', 'Downloaded report'), ('csv_export', 'Downloaded the case list as CSV'), ('export_download', 'Downloaded export'), ('export_request', 'Requested export'), ('report_export', 'Put report in an export'), ('document_refused', 'Refused a document altered since stored')], max_length=30),
        ),
    ]
