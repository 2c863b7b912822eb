"""Outside records in the REST API, called with tokens as a claims system or an EHR would:
a case's records (an adjuster's token never sees a clinical-only one), an upload refused for
the page's reasons with them, and a download that is an attachment in the access log."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from outside_records import services
from outside_records.models import OutsideRecord, StoredFile
from tests.support.api import api_client, assert_answer_matches_schema, assert_matches_schema
from tests.support.outside_records import (
    image_bytes,
    pdf_bytes,
    record_on,
    refused_files,
    upload,
)

pytestmark = pytest.mark.usefixtures("module_cast")


def list_url(cast):
    return reverse("api:outside-record-list", args=[cast.case.pk])


def download_url(record):
    return reverse("api:outside-record-download", args=[record.pk])


def details(**changes):
    return {
        "document_type": "imaging",
        "service_date": "2026-10-02",
        "author": "Austin Imaging Center",
        "received_on": timezone.localdate().isoformat(),
        "received_from": "Lone Star Mutual",
        **changes,
    }


def send(user, cast, *files, **changes):
    return api_client(user).post(
        list_url(cast), {"documents": list(files), **details(**changes)}, format="multipart"
    )


def listed(user, cast, **query) -> list[dict]:
    response = api_client(user).get(list_url(cast), query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_case_manager_uploads_two_files_and_reads_them_back(cast):
    response = send(
        cast.case_manager,
        cast,
        upload("mri.pdf", pdf_bytes(2, marker="mri")),
        upload("xray.jpg", image_bytes("JPEG", words="L4")),
    )
    assert response.status_code == 201, response.content
    added = response.json()
    assert [(r["original_name"], r["page_count"]) for r in added] == [
        ("mri.pdf", 2),
        ("xray.jpg", 1),
    ]
    assert added[0]["service_date"] == "2026-10-02"
    assert added[0]["uploaded_by"]["id"] == cast.case_manager.pk
    assert added[0]["download"].endswith(
        download_url(OutsideRecord.objects.get(original_name="mri.pdf"))
    )
    for record in added:
        assert_matches_schema(record, "OutsideRecord")
    # The answer is a plain list of what was added, as the schema says, not a page of them.
    assert_answer_matches_schema(added, "/api/v1/cases/{case_id}/records/", "post", 201)
    assert sorted(r["original_name"] for r in listed(cast.adjuster, cast)) == [
        "mri.pdf",
        "xray.jpg",
    ]


@pytest.mark.parametrize("name,content,reason", refused_files())
def test_a_refused_file_answers_400_with_the_reason_and_keeps_nothing(cast, name, content, reason):
    response = send(
        cast.clinician, cast, upload("good.pdf", pdf_bytes(marker="good")), upload(name, content)
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    [message] = error["fields"]["documents"]
    assert message.startswith(f"{name}: ") and reason in message
    assert not OutsideRecord.objects.exists()
    assert not StoredFile.objects.exists()


def test_a_file_over_the_size_limit_is_refused(cast, settings):
    settings.OUTSIDE_RECORD_MAX_FILE_BYTES = 2000
    response = send(cast.clinician, cast, upload("big.pdf", pdf_bytes(20)))
    assert response.status_code == 400
    assert "the most a file may be is" in response.json()["error"]["fields"]["documents"][0]
    assert not OutsideRecord.objects.exists()


def test_an_upload_over_the_request_limit_answers_413(cast, settings):
    settings.OUTSIDE_RECORD_MAX_UPLOAD_BYTES = 1000
    response = send(cast.clinician, cast, upload("a.pdf", b"%PDF-1.7\n" + b" " * 80_000))
    assert response.status_code == 413
    assert "Send fewer files at once" in response.json()["error"]["message"]
    assert not OutsideRecord.objects.exists()


def test_the_page_rules_on_the_details_apply(cast):
    response = send(
        cast.clinician, cast, upload("a.pdf", pdf_bytes(marker="a")), received_on="2999-01-01"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["received_on"] == ["This date is after today."]
    response = send(cast.clinician, cast, upload("a.pdf", pdf_bytes(marker="a")), received_from="")
    assert response.status_code == 400
    assert "received_from" in response.json()["error"]["fields"]
    assert not OutsideRecord.objects.exists()


def test_an_upload_without_a_file_is_refused(cast):
    response = api_client(cast.clinician).post(list_url(cast), details(), format="multipart")
    assert response.status_code == 400
    assert "documents" in response.json()["error"]["fields"]


def test_json_is_not_an_upload(cast):
    response = api_client(cast.clinician).post(list_url(cast), details(), format="json")
    assert response.status_code == 415


def test_the_adjuster_may_not_upload(cast):
    response = send(cast.adjuster, cast, upload("a.pdf", pdf_bytes()))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not OutsideRecord.objects.exists()


def test_an_adjusters_token_never_sees_a_clinical_only_record(cast):
    record_on(cast.case, cast.case_manager, name="mri.pdf")
    hidden = record_on(cast.case, cast.clinician, name="psych-eval.pdf", clinical_only=True)
    assert [r["original_name"] for r in listed(cast.adjuster, cast)] == ["mri.pdf"]
    assert {r["original_name"] for r in listed(cast.clinician, cast)} == {
        "mri.pdf",
        "psych-eval.pdf",
    }
    response = api_client(cast.adjuster).get(download_url(hidden))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_records_are_filtered_by_type_and_by_withdrawal(cast):
    record_on(cast.case, cast.case_manager, name="mri.pdf")
    letter = record_on(cast.case, cast.case_manager, name="letter.pdf", document_type="legal")
    services.record_withdraw(record=letter, by=cast.case_manager, reason="Wrong claim")
    assert [r["original_name"] for r in listed(cast.clinician, cast, document_type="legal")] == [
        "letter.pdf"
    ]
    [withdrawn] = listed(cast.clinician, cast, withdrawn="true")
    assert withdrawn["withdrawal_reason"] == "Wrong claim"
    assert withdrawn["withdrawn_by"]["id"] == cast.case_manager.pk
    assert [r["original_name"] for r in listed(cast.clinician, cast, withdrawn="false")] == [
        "mri.pdf"
    ]


@pytest.mark.parametrize("query", [{"document_type": "x-ray"}, {"document_type": ""}])
def test_an_unknown_type_is_refused(cast, query):
    response = api_client(cast.clinician).get(list_url(cast), query)
    assert response.status_code == 400
    assert "document_type" in response.json()["error"]["fields"]


def test_a_download_is_an_attachment_never_sniffed_and_is_logged(cast):
    record = record_on(cast.case, cast.case_manager, name="MRI <lumbar>.pdf")
    response = api_client(cast.adjuster).get(download_url(record))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="{cast.case.claim_number}-mri-lumbar.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    entry = AccessLogEntry.objects.first()
    assert (entry.user, entry.case, entry.action) == (
        cast.adjuster,
        cast.case,
        AccessLogEntry.Action.REPORT_DOWNLOAD,
    )
    assert entry.detail == f"Outside record {record.pk} (MRI <lumbar>.pdf)"


def test_a_record_of_a_case_not_seen_answers_404(cast):
    record = record_on(cast.case, cast.case_manager)
    for url in (download_url(record), list_url(cast)):
        response = api_client(cast.other_adjuster).get(url)
        assert response.status_code == 404


def test_the_list_makes_the_same_queries_with_2_and_12_records(cast):
    client = api_client(cast.adjuster)
    client.get(reverse("api:case-list"))  # stamps the token's last use

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(list_url(cast)).status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        record_on(cast.case, cast.case_manager, name=f"a{n}.pdf")
    few = count()
    for n in range(10):
        record = record_on(cast.case, cast.clinician, name=f"b{n}.pdf", clinical_only=n % 3 == 0)
        if n % 4 == 0:
            services.record_withdraw(record=record, by=cast.clinician, reason="Duplicate")
    assert count() == few
