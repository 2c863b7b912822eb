"""Determinations with their signed reports' URL and SHA-256, and the report download."""

import base64
import hashlib

from django.urls import reverse

from audit.models import AccessLogEntry
from tests.support.api import api_client, issue_certification, signed_determination
from tests.support.factories import DeterminationFactory


def test_a_signed_determination_lists_its_report_with_url_and_hash(cast):
    determination = signed_determination(cast.case, cast.clinician)
    report = issue_certification(determination, by=cast.clinician)
    response = api_client(cast.adjuster).get(
        reverse("api:determination-list", args=[cast.case.pk]), {"status": "signed"}
    )
    [row] = response.json()["results"]
    assert row["mmi_date"] == determination.mmi_date.isoformat()
    # A permanent impairment of 12 %, stated unconditional: what a valid certification says.
    assert (row["impairment_finding"], row["impairment_rating"]) == ("rated", 12)
    assert row["mmi_unconditional"] is True
    [listed] = row["reports"]
    assert listed["sha256"] == report.sha256
    assert listed["download_url"].endswith(reverse("api:report-download", args=[report.pk]))


def test_the_download_is_the_issued_bytes_with_their_digest_and_is_logged(cast):
    report = issue_certification(signed_determination(cast.case, cast.clinician), by=cast.clinician)
    response = api_client(cast.adjuster).get(reverse("api:report-download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == report.sha256
    digest = base64.b64encode(bytes.fromhex(report.sha256)).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    entry = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REPORT_DOWNLOAD).get()
    assert entry.user == cast.adjuster
    assert report.sha256 in entry.detail


def test_another_insurers_adjuster_cannot_download_the_report(cast):
    report = issue_certification(signed_determination(cast.case, cast.clinician), by=cast.clinician)
    response = api_client(cast.other_adjuster).get(
        reverse("api:report-download", args=[report.pk]), HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_drafts_are_listed_for_the_care_team_but_not_the_adjuster(cast):
    DeterminationFactory(case=cast.case, certifying_clinician=cast.clinician)
    url = reverse("api:determination-list", args=[cast.case.pk])
    assert api_client(cast.clinician).get(url).json()["count"] == 1
    assert api_client(cast.adjuster).get(url).json()["count"] == 0


def test_reports_of_a_case_are_listed_with_their_hashes(cast):
    report = issue_certification(signed_determination(cast.case, cast.clinician), by=cast.clinician)
    response = api_client(cast.case_manager).get(
        reverse("api:report-list", args=[cast.case.pk]), {"kind": "certification"}
    )
    assert [(row["id"], row["sha256"]) for row in response.json()["results"]] == [
        (report.pk, report.sha256)
    ]


def test_a_signed_determination_says_its_reports_are_being_prepared_until_they_are_listed(cast):
    determination = signed_determination(cast.case, cast.clinician)
    url = reverse("api:determination-detail", args=[determination.pk])

    waiting = api_client(cast.adjuster).get(url).json()
    issue_certification(determination, by=cast.clinician)
    half = api_client(cast.adjuster).get(url).json()

    assert (waiting["reports"], waiting["reports_being_prepared"]) == ([], True)
    # The letter is still to come.
    assert (len(half["reports"]), half["reports_being_prepared"]) == (1, True)


def test_a_report_whose_file_cannot_be_read_answers_503_with_retry_after(cast):
    report = issue_certification(signed_determination(cast.case, cast.clinician), by=cast.clinician)
    report.file.storage.delete(report.file.name)

    response = api_client(cast.adjuster).get(
        reverse("api:report-download", args=[report.pk]), HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "3"
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "report_unavailable"
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REPORT_DOWNLOAD)
