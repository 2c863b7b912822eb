"""Clinicians record treatments and assessments through the API with the pages' rules:
bad input answers 400 naming each field, and nothing is saved."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cases.models import Assessment, CaseStatus, Instrument, Treatment
from tests.support.api import api_client

TODAY = timezone.localdate


def post(cast, name: str, data: dict):
    return api_client(cast.clinician).post(reverse(name, args=[cast.case.pk]), data, format="json")


def test_a_clinician_records_a_treatment_and_the_case_moves_into_treatment(cast):
    response = post(
        cast,
        "api:treatment-list",
        {"kind": "pt", "description": "Lumbar stabilisation", "start_date": "2026-01-05"},
    )
    assert response.status_code == 201, response.content
    treatment = Treatment.objects.get(pk=response.json()["id"])
    assert treatment.description == "Lumbar stabilisation"
    assert treatment.authorised is True
    cast.case.refresh_from_db()
    assert cast.case.status == CaseStatus.IN_TREATMENT


def test_a_treatment_ending_before_it_starts_is_refused(cast):
    response = post(
        cast,
        "api:treatment-list",
        {
            "kind": "pt",
            "description": "Therapy",
            "start_date": "2026-02-01",
            "end_date": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "end_date": ["The end date cannot be before the start date."]
    }
    assert not Treatment.objects.exists()


def test_missing_and_mistyped_fields_are_named(cast):
    response = post(cast, "api:treatment-list", {"kind": "massage", "start_date": "soon"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"kind", "description", "start_date"}


def test_malformed_json_answers_400(cast):
    response = api_client(cast.clinician).post(
        reverse("api:treatment-list", args=[cast.case.pk]),
        "{not json",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_a_clinician_records_an_assessment_with_scores(cast):
    cast.case.tracked_instruments.set(Instrument.objects.filter(abbreviation__in=["ODI", "NDI"]))
    response = post(
        cast,
        "api:assessment-list",
        {
            "date": (TODAY() - timedelta(days=2)).isoformat(),
            "pain_score": 6,
            "findings": "Flexion limited.",
            "scores": [
                {"instrument": "ODI", "value": "42"},
                {"instrument": "NDI", "value": "64", "scale_max": "100"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    assessment = Assessment.objects.get(pk=response.json()["id"])
    assert assessment.clinician == cast.clinician
    scores = {s.instrument.abbreviation: (s.value, s.scale_max) for s in assessment.scores.all()}
    assert scores == {"ODI": (42, 100), "NDI": (64, 100)}
    assert [s["instrument"] for s in response.json()["scores"]] == ["NDI", "ODI"]


def test_a_score_out_of_range_is_refused_against_its_entry(cast):
    cast.case.tracked_instruments.set(Instrument.objects.filter(abbreviation__in=["ODI"]))
    response = post(
        cast,
        "api:assessment-list",
        {"date": TODAY().isoformat(), "scores": [{"instrument": "ODI", "value": "140"}]},
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["scores.0.value"]
    assert "ODI must be between 0 and 100" in fields["scores.0.value"][0]
    assert not Assessment.objects.exists()


def test_a_measure_the_case_does_not_track_is_refused(cast):
    cast.case.tracked_instruments.set(Instrument.objects.filter(abbreviation__in=["ODI"]))
    response = post(
        cast,
        "api:assessment-list",
        {
            "date": TODAY().isoformat(),
            "scores": [{"instrument": "LEFS", "value": "40"}, {"instrument": "ODI", "value": "1"}],
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "scores.0.instrument": ["This case does not track LEFS; it tracks ODI."]
    }


def test_an_assessment_in_the_future_is_refused(cast):
    response = post(
        cast, "api:assessment-list", {"date": (TODAY() + timedelta(days=3)).isoformat()}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "date": ["The assessment date cannot be in the future."]
    }
    assert not Assessment.objects.exists()


def test_a_pain_score_over_ten_is_refused(cast):
    response = post(cast, "api:assessment-list", {"date": TODAY().isoformat(), "pain_score": 11})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["pain_score"]


def test_user_text_comes_back_as_data_never_markup(cast):
    response = post(
        cast,
        "api:treatment-list",
        {"kind": "pt", "description": "<script>alert(1)</script>", "start_date": "2026-01-05"},
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["description"] == "<script>alert(1)</script>"
