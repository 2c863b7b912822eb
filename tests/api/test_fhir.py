"""The FHIR R4 export of a case: a valid Bundle (checked with fhir.resources' R4B models,
the R4-compatible release it ships), every reference resolving inside it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from cases.models import Case, Instrument, User
from outside_records import services
from outside_records.models import OutsideRecord
from tests.support.api import api_client, signed_determination
from tests.support.factories import (
    AssessmentFactory,
    ConsultationFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)
from tests.support.outside_records import record_on


def everything(client, case: Case) -> dict:
    response = client.get(reverse("api:fhir-everything", args=[case.pk]))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json; fhirVersion=4.0"
    return response.json()


def assert_valid(bundle: dict) -> None:
    Bundle.model_validate(bundle)
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    for reference in references(bundle["entry"]):
        assert reference in urls, f"{reference} is not in the Bundle"


def references(value) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [ref for item in value.values() for ref in references(item)]
    if isinstance(value, list):
        return [ref for item in value for ref in references(item)]
    return []


def resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_every_demo_case_exports_a_valid_bundle(db):
    call_command("seed_demo", stdout=StringIO())
    client = api_client(User.objects.get(username="admin"))
    cases = Case.objects.all()
    assert cases.count() >= 16
    for case in cases:
        bundle = everything(client, case)
        assert_valid(bundle)
        [episode] = resources(bundle, "EpisodeOfCare")
        assert episode["identifier"][0]["value"] == case.claim_number


@pytest.fixture
def full_case(cast):
    case = cast.case
    case.tracked_instruments.set(Instrument.objects.filter(abbreviation__in=["ODI", "LEFS"]))
    TreatmentFactory(case=case, description="Lumbar stabilisation", sessions=12)
    assessment = AssessmentFactory(case=case, clinician=cast.clinician, pain_score=6)
    OutcomeScoreFactory(assessment=assessment)
    OutcomeScoreFactory(
        assessment=assessment, instrument=Instrument.objects.get(abbreviation="LEFS")
    )
    DiagnosticFactory(case=case)
    ConsultationFactory(case=case)
    WorkRestrictionFactory(work_status=WorkStatusFactory(case=case, issued_by=cast.clinician))
    signed_determination(case, cast.clinician)
    return case


def test_the_bundle_maps_each_record(cast, full_case):
    bundle = everything(api_client(cast.adjuster), full_case)
    assert_valid(bundle)
    assert bundle["type"] == "searchset"
    counts = {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
    assert counts["Patient"] == 1
    assert counts["Organization"] == 2  # insurer and employer
    assert counts["Procedure"] == 1
    assert counts["DiagnosticReport"] == 1
    assert counts["ClinicalImpression"] == 2  # the consultation and the determination
    [condition] = resources(bundle, "Condition")
    assert condition["code"]["coding"] == [
        {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "M54.50"}
    ]
    [coverage] = resources(bundle, "Coverage")
    assert coverage["payor"][0]["reference"] in {e["fullUrl"] for e in bundle["entry"]}


def codes(resource: dict) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in resource["code"].get("coding", [])}


def test_scores_carry_loinc_codes_where_they_exist(cast, full_case):
    bundle = everything(api_client(cast.clinician), full_case)
    observations = resources(bundle, "Observation")
    all_codes = set().union(*(codes(o) for o in observations))
    assert ("http://loinc.org", "97909-6") in all_codes  # ODI
    assert ("http://loinc.org", "72514-3") in all_codes  # pain now, 0-10
    [lefs] = [
        o for o in observations if o["code"].get("text") == "Lower Extremity Functional Scale"
    ]
    assert {system for system, _ in codes(lefs)} == {
        "https://mmi-tracker.invalid/fhir/CodeSystem/outcome-measure"
    }


def test_the_determination_is_a_clinical_impression_with_mmi_date_and_rating(cast, full_case):
    bundle = everything(api_client(cast.adjuster), full_case)
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    [impression] = [
        r
        for r in resources(bundle, "ClinicalImpression")
        if r["code"]["coding"][0]["code"] == "mmi-determination"
    ]
    assert impression["status"] == "completed"
    findings = [by_url[f["itemReference"]["reference"]] for f in impression["finding"]]
    values = {f["code"]["coding"][0]["code"]: f for f in findings}
    determination = full_case.determinations.get()
    assert values["mmi-date"]["valueDateTime"] == determination.mmi_date.isoformat()
    assert values["whole-person-impairment"]["valueQuantity"]["value"] == 12
    assert values["whole-person-impairment"]["valueQuantity"]["code"] == "%"


def test_work_restrictions_are_observations_of_the_work_status(cast, full_case):
    bundle = everything(api_client(cast.adjuster), full_case)
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    [status] = [o for o in resources(bundle, "Observation") if o.get("hasMember")]
    [restriction] = [by_url[m["reference"]] for m in status["hasMember"]]
    assert restriction["valueString"].startswith("lift, max 20 lb")


def test_an_invisible_case_answers_an_operation_outcome(cast):
    response = api_client(cast.other_adjuster).get(
        reverse("api:fhir-everything", args=[cast.case.pk])
    )
    assert response.status_code == 404
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize("size", [1, 4])
def test_the_export_costs_the_same_queries_at_any_size(cast, size, django_assert_max_num_queries):
    for n in range(size):
        TreatmentFactory(case=cast.case)
        OutcomeScoreFactory(assessment=AssessmentFactory(case=cast.case, clinician=cast.clinician))
        WorkRestrictionFactory(work_status=WorkStatusFactory(case=cast.case))
        record_on(cast.case, cast.case_manager, name=f"record-{n}.pdf")
    client = api_client(cast.case_manager)
    client.get(reverse("api:case-list"))  # stamps the token's last use
    with django_assert_max_num_queries(20):
        everything(client, cast.case)


@pytest.mark.parametrize("fmt", ["", "xml"])
def test_a_format_the_export_does_not_offer_is_refused(cast, fmt):
    url = reverse("api:fhir-everything", args=[cast.case.pk])
    response = api_client(cast.clinician).get(url, {"format": fmt})
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_format_json_answers_plain_json(cast):
    url = reverse("api:fhir-everything", args=[cast.case.pk])
    response = api_client(cast.clinician).get(url, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_each_outside_record_is_a_document_reference_to_its_file(cast):
    mri = record_on(cast.case, cast.case_manager, name="mri.pdf")
    OutsideRecord.objects.filter(pk=mri.pk).update(service_date=cast.case.date_of_injury)
    letter = record_on(cast.case, cast.case_manager, name="letter.pdf", document_type="legal")
    services.record_withdraw(record=letter, by=cast.case_manager, reason="Another claim's")
    bundle = everything(api_client(cast.clinician), cast.case)
    assert_valid(bundle)
    by_title = {
        d["content"][0]["attachment"]["title"]: d for d in resources(bundle, "DocumentReference")
    }
    assert set(by_title) == {"mri.pdf", "letter.pdf"}
    imaging, legal = by_title["mri.pdf"], by_title["letter.pdf"]
    assert imaging["status"] == "current"
    assert imaging["type"] == {
        "coding": [
            {"system": "http://loinc.org", "code": "18748-4", "display": "Diagnostic imaging study"}
        ],
        "text": "Imaging",
    }
    assert imaging["author"] == [{"display": "Austin Imaging Center"}]
    assert imaging["context"]["period"]["start"] == cast.case.date_of_injury.isoformat()
    [episode] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "EpisodeOfCare"]
    [patient] = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    assert imaging["context"]["encounter"] == [{"reference": episode["fullUrl"]}]
    assert imaging["subject"] == {"reference": patient["fullUrl"]}
    attachment = imaging["content"][0]["attachment"]
    assert attachment["contentType"] == "application/pdf"
    assert attachment["size"] == mri.stored_file.size
    assert (
        attachment["url"]
        == f"http://testserver{reverse('api:outside-record-download', args=[mri.pk])}"
    )
    assert "hash" not in attachment
    assert legal["status"] == "entered-in-error"
    assert legal["type"] == {"text": "Legal"}
    assert "Another claim's" in legal["description"]
    download = api_client(cast.clinician).get(attachment["url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_adjusters_bundle_never_holds_a_clinical_only_record(cast):
    record_on(cast.case, cast.case_manager, name="mri.pdf")
    record_on(cast.case, cast.clinician, name="psych-eval.pdf", clinical_only=True)

    def titles(user) -> set[str]:
        bundle = everything(api_client(user), cast.case)
        assert_valid(bundle)
        return {
            d["content"][0]["attachment"]["title"] for d in resources(bundle, "DocumentReference")
        }

    assert titles(cast.adjuster) == {"mri.pdf"}
    assert titles(cast.case_manager) == {"mri.pdf", "psych-eval.pdf"}
