"""Inputs that once answered 500 (a black-box probe of a production install): each now
answers a page or a 4xx that says what is wrong."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support.api import api_client
from tests.support.cast import client_for

pytestmark = pytest.mark.usefixtures("module_cast")

STATUTORY_MMI = "/api/calculators/statutory-mmi"


@pytest.mark.parametrize(
    ("began", "message"),
    [
        ("9999-12-31", "Enter the date disability began no later than today."),
        ("0001-01-01", "Enter the date disability began from 1900 on."),
        ("1899-12-31", "Enter the date disability began from 1900 on."),
    ],
)
def test_a_calculator_date_outside_the_records_is_refused_by_name(cast, began, message):
    response = client_for(cast.clinician).get(
        STATUTORY_MMI, {"jurisdiction": "TX", "disability_began": began}
    )
    assert response.status_code == 400
    assert response.json()["error"] == {"parameter": "disability_began", "message": message}


def test_a_calculator_date_of_today_is_answered(cast):
    today = timezone.localdate().isoformat()
    response = client_for(cast.clinician).get(
        STATUTORY_MMI, {"jurisdiction": "TX", "disability_began": today}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["page", "sort", "status", "clinician", "case_manager", "insurer"])
@pytest.mark.parametrize(
    "value", ["9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "²"]
)
def test_huge_numbers_in_the_case_list_query_show_a_page(cast, name, value):
    response = client_for(cast.admin).get(reverse("case-list"), {name: value})
    assert response.status_code == 200


def test_a_page_past_the_last_shows_the_last(cast):
    response = client_for(cast.admin).get(reverse("case-list"), {"page": "9223372036854775808"})
    assert response.context["page"].number == response.context["page"].paginator.num_pages
    assert cast.case.claim_number in response.content.decode()


@pytest.mark.parametrize("value", ["²", "١"])
def test_a_page_in_other_digits_is_refused_by_the_api(cast, value):
    response = api_client(cast.admin).get("/api/v1/cases/", {"page": value})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"page": ["A whole number from 1."]}


def test_a_username_longer_than_any_is_refused_with_a_message(db, client):
    response = client.post(reverse("login"), {"username": "u" * 100_000, "password": "x"})
    assert response.status_code == 200
    assert "No username is longer than 150 characters" in response.content.decode()


def test_a_deeply_nested_json_body_is_refused(cast):
    body = "[" * 100_000 + "]" * 100_000
    response = api_client(cast.clinician).post(
        f"/api/v1/cases/{cast.case.pk}/treatments/", body, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["case-care_team", "case-tracked_instruments"])
def test_a_pick_that_cannot_be_a_key_is_refused_by_its_field(cast, field):
    url = reverse("case-edit", args=[cast.case.pk])
    response = client_for(cast.admin).post(url, {field: "9223372036854775808"})
    assert response.status_code == 200
    assert "“9223372036854775808” is not a valid value." in response.content.decode()
