"""The calculators in the versioned API, beside their first URLs."""

from django.urls import reverse

from tests.conftest import client_for

from .support import api_client


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
