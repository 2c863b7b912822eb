"""Outside records as a user meets them: the upload (refusals that keep nothing, one stored
file for the same file sent twice, the event), the case page's section, a record's page,
its download, its withdrawal, and who sees what."""

import io

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import AccessLogEntry
from cases import events
from outside_records.models import OutsideRecord, StoredFile
from tests.support.cast import client_for
from tests.support.outside_records import (
    image_bytes,
    pdf_bytes,
    pdf_with_javascript_and_attachment,
    record_on,
    refused_files,
    tiff_of_pages,
    upload,
)

pytestmark = pytest.mark.usefixtures("module_cast")


def upload_url(cast):
    return reverse("outside_records:record-upload", args=[cast.case.pk])


def details(**changes):
    return {
        "document_type": "imaging",
        "service_date": "2026-10-02",
        "author": "Austin Imaging Center",
        "received_on": timezone.localdate().isoformat(),
        "received_from": "Lone Star Mutual",
        **changes,
    }


def send(client, cast, *files, **changes):
    return client.post(upload_url(cast), {"documents": list(files), **details(**changes)})


def test_the_case_manager_uploads_two_files_at_once(cast, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, case, record, by, **kwargs):
        received.append((case, record.original_name, by))

    events.record_added.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = send(
                client_for(cast.case_manager),
                cast,
                upload("mri.pdf", pdf_bytes(2, marker="mri")),
                upload("xray.jpg", image_bytes("JPEG", words="L4")),
            )
    finally:
        events.record_added.disconnect(receiver)
    assert response.status_code == 302
    assert response.url.endswith("#outside-records")
    records = OutsideRecord.objects.filter(case=cast.case).order_by("original_name")
    assert [(r.original_name, r.stored_file.page_count) for r in records] == [
        ("mri.pdf", 2),
        ("xray.jpg", 1),
    ]
    assert records[0].received_from == "Lone Star Mutual"
    assert records[0].uploaded_by == cast.case_manager
    assert sorted(name for _, name, _ in received) == ["mri.pdf", "xray.jpg"]
    assert {(case, by) for case, _, by in received} == {(cast.case, cast.case_manager)}
    page = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()
    assert "Outside medical records" in page and "xray.jpg" in page


@pytest.mark.parametrize("name,content,reason", refused_files())
def test_a_refused_file_refuses_the_upload_and_keeps_nothing(cast, name, content, reason):
    response = send(
        client_for(cast.clinician),
        cast,
        upload("good.pdf", pdf_bytes(marker="good")),
        upload(name, content),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was added" in html
    assert name in html and reason in html
    assert not OutsideRecord.objects.exists()
    assert not StoredFile.objects.exists()
    assert not storages["default"].exists("outside-records")


def test_a_file_over_the_size_limit_is_refused(cast, settings):
    settings.OUTSIDE_RECORD_MAX_FILE_BYTES = 2000
    response = send(client_for(cast.clinician), cast, upload("big.pdf", pdf_bytes(20)))
    assert response.status_code == 400
    assert "the most a file may be is" in response.content.decode()
    assert not OutsideRecord.objects.exists()


def test_an_upload_over_the_request_limit_is_refused_before_reading_it(cast, settings):
    settings.OUTSIDE_RECORD_MAX_UPLOAD_BYTES = 1000
    response = send(
        client_for(cast.clinician), cast, upload("a.pdf", b"%PDF-1.7\n" + b" " * 80_000)
    )
    assert response.status_code == 413
    assert "Send fewer files at once" in response.content.decode()
    assert not OutsideRecord.objects.exists()


def test_too_many_files_are_refused(cast, settings):
    settings.OUTSIDE_RECORD_MAX_FILES = 2
    files = [upload(f"{n}.pdf", pdf_bytes(marker=str(n))) for n in range(3)]
    response = send(client_for(cast.clinician), cast, *files)
    assert response.status_code == 400
    assert "at most 2 files" in response.content.decode()
    assert not OutsideRecord.objects.exists()


def test_a_missing_detail_keeps_nothing_and_says_which(cast):
    response = send(
        client_for(cast.clinician), cast, upload("a.pdf", pdf_bytes()), received_from=""
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not OutsideRecord.objects.exists()


def test_a_received_date_after_today_is_refused(cast):
    response = send(
        client_for(cast.clinician), cast, upload("a.pdf", pdf_bytes()), received_on="2999-01-01"
    )
    assert "This date is after today." in response.content.decode()
    assert not OutsideRecord.objects.exists()


def test_the_same_file_sent_for_two_cases_is_stored_once(cast):
    from tests.support.factories import CaseFactory

    other_case = CaseFactory(case_manager=cast.case_manager)
    content = pdf_bytes(marker="shared report")
    first = record_on(cast.case, cast.case_manager, content=content)
    second = record_on(other_case, cast.case_manager, content=content)
    assert first.stored_file_id == second.stored_file_id
    assert StoredFile.objects.count() == 1
    assert (
        len(storages["default"].listdir(f"outside-records/{first.stored_file.sha256[:2]}")[1]) == 1
    )


def test_the_same_file_twice_on_one_case_is_refused(cast):
    content = pdf_bytes(marker="twice")
    record_on(cast.case, cast.case_manager, content=content)
    response = send(client_for(cast.clinician), cast, upload("again.pdf", content))
    assert response.status_code == 400
    assert "already among the case&#x27;s records" in response.content.decode()
    assert OutsideRecord.objects.count() == 1


def test_the_kept_pdf_has_no_javascript_nor_embedded_file(cast):
    send(
        client_for(cast.clinician), cast, upload("active.pdf", pdf_with_javascript_and_attachment())
    )
    record = OutsideRecord.objects.get()
    download = client_for(cast.clinician).get(
        reverse("outside_records:record-download", args=[record.pk])
    )
    kept = b"".join(download.streaming_content)
    assert kept.startswith(b"%PDF")
    assert b"app.alert" not in kept and b"MZ not a real program" not in kept


def test_a_multi_page_tiff_becomes_one_record_of_its_pages(cast):
    send(client_for(cast.clinician), cast, upload("scan.tif", tiff_of_pages(3)))
    record = OutsideRecord.objects.get()
    assert record.stored_file.page_count == 3
    assert record.stored_file.received_type == "image/tiff"


def test_a_download_is_an_attachment_never_shown_inline_and_is_logged(cast):
    record = record_on(cast.case, cast.case_manager, name="MRI <lumbar>.pdf")
    response = client_for(cast.adjuster).get(
        reverse("outside_records:record-download", args=[record.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="{cast.case.claim_number}-mri-lumbar.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    entry = AccessLogEntry.objects.first()
    assert entry.user == cast.adjuster and entry.case == cast.case
    assert entry.action == AccessLogEntry.Action.REPORT_DOWNLOAD
    assert f"Outside record {record.pk}" in entry.detail


def test_a_record_page_is_logged_and_tells_who_sent_it(cast):
    record = record_on(cast.case, cast.case_manager)
    page = client_for(cast.clinician).get(
        reverse("outside_records:record-detail", args=[record.pk])
    )
    html = page.content.decode()
    assert "Austin Imaging Center" in html and "Lone Star Mutual" in html
    entry = AccessLogEntry.objects.first()
    assert (entry.user, entry.action, entry.detail) == (
        cast.clinician,
        AccessLogEntry.Action.CASE_VIEW,
        f"Outside record {record.pk}",
    )


def test_a_clinical_only_record_is_hidden_from_the_adjuster(cast):
    hidden = record_on(cast.case, cast.clinician, name="psych-eval.pdf", clinical_only=True)
    adjuster = client_for(cast.adjuster)
    for name in ("outside_records:record-detail", "outside_records:record-download"):
        assert adjuster.get(reverse(name, args=[hidden.pk])).status_code == 404
        assert client_for(cast.case_manager).get(reverse(name, args=[hidden.pk])).status_code == 200
    assert "psych-eval.pdf" not in adjuster.get(cast.case.get_absolute_url()).content.decode()
    assert (
        "psych-eval.pdf"
        in client_for(cast.clinician).get(cast.case.get_absolute_url()).content.decode()
    )


def test_the_adjuster_may_not_upload(cast):
    response = send(client_for(cast.adjuster), cast, upload("a.pdf", pdf_bytes()))
    assert response.status_code == 403
    assert not OutsideRecord.objects.exists()


def test_a_withdrawn_record_stays_in_the_history_with_its_reason(cast):
    record = record_on(cast.case, cast.case_manager)
    client = client_for(cast.case_manager)
    url = reverse("outside_records:record-withdraw", args=[record.pk])
    response = client.post(url, {"reason": "Sent for the wrong patient"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_withdrawn and record.withdrawn_by == cast.case_manager
    page = client.get(reverse("outside_records:record-detail", args=[record.pk])).content.decode()
    assert "Withdrawn" in page and "Sent for the wrong patient" in page
    assert [entry.history_type for entry in record.history.all()] == ["~", "+"]
    assert OutsideRecord.objects.filter(pk=record.pk).exists()
    assert "Withdrawn" in client.get(cast.case.get_absolute_url()).content.decode()


def test_a_withdrawal_needs_a_reason(cast):
    record = record_on(cast.case, cast.case_manager)
    response = client_for(cast.clinician).post(
        reverse("outside_records:record-withdraw", args=[record.pk]), {"reason": "  "}
    )
    assert response.status_code == 400
    record.refresh_from_db()
    assert not record.is_withdrawn


def test_the_upload_page_offers_the_plain_file_input_and_the_drop_script(cast):
    html = client_for(cast.clinician).get(upload_url(cast)).content.decode()
    assert 'type="file"' in html and "multiple" in html
    assert "js/record-upload.js" in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_case_page_makes_the_same_queries_with_2_and_12_records(cast):
    client = client_for(cast.adjuster)
    url = cast.case.get_absolute_url()
    for n in range(2):
        record_on(cast.case, cast.case_manager, name=f"a{n}.pdf")
    few = count_queries(client, url)
    for n in range(10):
        record_on(cast.case, cast.clinician, name=f"b{n}.pdf", clinical_only=n % 2 == 0)
    assert count_queries(client, url) == few


def test_a_500_page_scan_is_taken_at_once_and_read_later_with_its_progress_shown(
    cast, django_capture_on_commit_callbacks
):
    sheet = Image.new("1", (170, 220), 1)
    scan = io.BytesIO()
    sheet.save(scan, format="PDF", save_all=True, append_images=[sheet] * 499)
    client = client_for(cast.case_manager)

    # Reading is sent to the task queue once the upload commits; here it is not run.
    with django_capture_on_commit_callbacks(execute=False) as reading_queued:
        response = send(client, cast, upload("whole-claim-file.pdf", scan.getvalue()))

    assert response.status_code == 302 and reading_queued
    record = OutsideRecord.objects.get(case=cast.case, original_name="whole-claim-file.pdf")
    assert record.stored_file.page_count == 500
    detail = reverse("outside_records:record-detail", args=[record.pk])
    assert "Being read: 0 of 500 pages done" in client.get(detail).content.decode()
