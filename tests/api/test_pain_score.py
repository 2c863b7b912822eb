"""pain_score through the API: on a case that tracks the NPRS it is the NPRS answer, as the
page asks it once; elsewhere it is kept as sent."""

from django.urls import reverse
from django.utils import timezone

from cases.models import Assessment, Instrument
from tests.support.api import api_client

TODAY = timezone.localdate


def post(cast, data: dict):
    return api_client(cast.clinician).post(
        reverse("api:assessment-list", args=[cast.case.pk]),
        {"date": TODAY().isoformat(), **data},
        format="json",
    )


def tracking(cast, *abbreviations: str) -> None:
    cast.case.tracked_instruments.set(Instrument.objects.filter(abbreviation__in=abbreviations))


def nprs_of(body: dict) -> list[str]:
    return [s["value"] for s in body["scores"] if s["instrument"] == "NPRS"]


def test_pain_score_alone_is_recorded_as_the_nprs_too(cast):
    tracking(cast, "NPRS", "ODI")
    response = post(cast, {"pain_score": 6, "scores": [{"instrument": "ODI", "value": "40"}]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pain_score"] == 6
    assert [float(value) for value in nprs_of(body)] == [6.0]


def test_an_nprs_score_alone_gives_the_pain_score(cast):
    tracking(cast, "NPRS")
    response = post(cast, {"scores": [{"instrument": "NPRS", "value": "3.5"}]})
    assert response.status_code == 201, response.content
    assert response.json()["pain_score"] == 4
    assert Assessment.objects.get().pain_score == 4


def test_a_pain_score_that_agrees_with_the_nprs_is_accepted(cast):
    tracking(cast, "NPRS")
    response = post(cast, {"pain_score": 5, "scores": [{"instrument": "NPRS", "value": "5"}]})
    assert response.status_code == 201, response.content


def test_a_pain_score_that_differs_from_the_nprs_is_refused(cast):
    tracking(cast, "NPRS")
    response = post(cast, {"pain_score": 7, "scores": [{"instrument": "NPRS", "value": "4"}]})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "pain_score": [
            "Pain now (7) and the NPRS (4) are the same question on this case: give one of "
            "them, or the same value."
        ]
    }
    assert not Assessment.objects.exists()


def test_a_pain_score_on_a_case_without_the_nprs_is_kept_as_sent(cast):
    tracking(cast, "ODI")
    response = post(cast, {"pain_score": 6})
    assert response.status_code == 201, response.content
    assert (response.json()["pain_score"], response.json()["scores"]) == (6, [])


def test_fhir_exports_the_pain_answer_once(cast):
    tracking(cast, "NPRS")
    assert post(cast, {"scores": [{"instrument": "NPRS", "value": "6"}]}).status_code == 201
    bundle = api_client(cast.adjuster).get(reverse("api:fhir-everything", args=[cast.case.pk]))
    pain = [
        entry["resource"]
        for entry in bundle.json()["entry"]
        if entry["resource"]["resourceType"] == "Observation"
        and any(c.get("code") == "72514-3" for c in entry["resource"]["code"].get("coding", []))
    ]
    assert [observation["valueQuantity"]["value"] for observation in pain] == [6]
