"""The calculators in the versioned API, beside their first URLs."""

from django.urls import reverse

from tests.support.api import api_client
from tests.support.cast import client_for


def test_the_versioned_calculator_answers_like_the_original_endpoint(cast):
    client = api_client(cast.adjuster)
    query = {"value": ["50", "30"]}
    versioned = client.get(reverse("api:calculator-combine"), query)
    original = client_for(cast.adjuster).get(reverse("calculator-combine"), query)
    assert versioned.status_code == original.status_code == 200
    assert versioned.json() == original.json()


def test_a_bad_calculator_input_answers_the_api_error_shape(cast):
    response = api_client(cast.adjuster).get(
        reverse("api:calculator-convert"), {"level": "elbow", "value": "75"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["level"]


def test_the_calculators_are_in_the_schema(cast):
    schema = api_client(cast.adjuster).get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/calculators/impairment-benefits/" in schema["paths"]


def test_a_parameter_given_twice_is_refused_unless_it_is_a_list(cast):
    client = api_client(cast.adjuster)
    twice = client.get(reverse("api:calculator-convert"), {"level": "index", "value": ["75", "9"]})
    assert twice.status_code == 400
    assert twice.json()["error"]["fields"] == {"value": ["Give this parameter once."]}
    listed = client.get(reverse("api:calculator-combine"), {"value": ["50", "30"]})
    assert listed.status_code == 200


def test_the_versioned_florida_estimate_is_capped_and_shows_the_halved_rate(cast):
    # docs/domain.md §4: AWW $3,000, 10 % → TT $1,295 (the 2025 maximum) → $971.25 × 20 weeks.
    query = {
        "jurisdiction": "FL",
        "rating": "10",
        "average_weekly_wage": "3000",
        "date_of_injury": "2025-08-01",
    }
    versioned = api_client(cast.adjuster).get(reverse("api:calculator-impairment-benefits"), query)
    original = client_for(cast.adjuster).get(reverse("calculator-impairment-benefits"), query)
    assert versioned.status_code == original.status_code == 200
    answer = versioned.json()
    assert answer == original.json()
    assert answer["state_average_weekly_wage"] == "1295.00"
    assert answer["maximum_compensation_rate"] == "1295.00"
    assert answer["temporary_total_rate"] == "1295.00"
    assert answer["weekly_rate"] == "971.25"
    assert answer["total"] == "19425.00"
    assert answer["halved_weekly_rate"] == "485.63"


def test_a_florida_year_without_a_figure_answers_the_api_error_shape(cast):
    query = {
        "jurisdiction": "FL",
        "rating": "10",
        "average_weekly_wage": "3000",
        "date_of_injury": "2026-02-01",
    }
    response = api_client(cast.adjuster).get(reverse("api:calculator-impairment-benefits"), query)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["date_of_injury"]
    assert "No Florida state average weekly wage is on file" in fields["date_of_injury"][0]
