"""A claims system's script: with a token, list the insurer's
cases at MMI, fetch each signed report and its hash, pull a valid FHIR Bundle for each —
and see nothing of another insurer."""

import hashlib

from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from cases.models import CaseStatus
from tests.support.api import api_client, issue_certification, signed_determination
from tests.support.factories import CaseFactory, ClinicianFactory


def at_mmi(insurer, clinician):
    case = CaseFactory(insurer=insurer, care_team=[clinician])
    determination = signed_determination(case, clinician)
    report = issue_certification(determination, by=clinician)
    case.status = CaseStatus.AT_MMI
    case.mmi_date = determination.mmi_date
    case.save()
    return case, report


def test_an_adjusters_script_gets_its_insurers_mmi_cases_reports_and_bundles(cast):
    clinician = ClinicianFactory()
    ours = [at_mmi(cast.case.insurer, clinician) for _ in range(2)]
    theirs, their_report = at_mmi(cast.other_adjuster.organisation, clinician)
    client = api_client(cast.adjuster)

    listed = client.get(reverse("api:case-list"), {"status": "at_mmi"}).json()
    assert {row["id"] for row in listed["results"]} == {case.pk for case, _ in ours}

    fetched = {}
    for row in listed["results"]:
        determinations = client.get(row["links"]["determinations"], {"status": "signed"}).json()
        for determination in determinations["results"]:
            for report in determination["reports"]:
                pdf = client.get(report["download_url"])
                assert pdf.status_code == 200
                assert hashlib.sha256(pdf.content).hexdigest() == report["sha256"]
                fetched[row["id"]] = report["sha256"]
        bundle = client.get(row["links"]["fhir"])
        assert bundle.status_code == 200
        Bundle.model_validate(bundle.json())
    assert fetched == {case.pk: report.sha256 for case, report in ours}

    for url in [
        reverse("api:case-detail", args=[theirs.pk]),
        reverse("api:determination-list", args=[theirs.pk]),
        reverse("api:report-download", args=[their_report.pk]),
        reverse("api:fhir-everything", args=[theirs.pk]),
    ]:
        assert client.get(url).status_code == 404, url
