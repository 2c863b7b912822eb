"""The impairment and benefit calculators: JSON endpoints and the page.

The arithmetic itself is tested in tests/domain; these tests check what a caller sees.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.support.cast import client_for
from tests.support.factories import AdjusterFactory, ClinicianFactory

pytestmark = pytest.mark.django_db

TEXAS_2018_SOURCE = (
    "TDI news release, 25 Sep 2017: 'Workers' Compensation Weekly Benefit Rates Set for "
    "October 1, 2017, Through September 30, 2018' (tdi.texas.gov/news/2017/"
    "dwc09252017a.html)"
)


@pytest.fixture
def api():
    return client_for(ClinicianFactory())


def get_json(client, name: str, query: dict, status: int = 200) -> dict:
    response = client.get(reverse(name), query)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


# --- the endpoints' answers ----------------------------------------------------------------


def test_combine_answers_the_combined_value_with_its_working(api):
    assert get_json(api, "calculator-combine", {"value": ["50", "30"]}) == {
        "result": 65,
        "steps": ["Combine 50 % and 30 %: 50 + 30 × (1 − 0.50) = 65 %"],
    }


def test_combine_takes_comma_separated_values_too(api):
    assert get_json(api, "calculator-combine", {"value": "30, 20, 10"})["result"] == 50


def test_convert_answers_every_level_up_to_whole_person(api):
    assert get_json(api, "calculator-convert", {"level": "index", "value": "75"}) == {
        "hand": 15,
        "upper_extremity": 14,
        "whole_person": 8,
        "steps": [
            "Index finger 75 % → hand: 75 × 20 % = 15 %",
            "Hand 15 % → upper extremity: 15 × 90 % = 13.5 %, rounded to 14 %",
            "Upper extremity 14 % → whole person: 14 × 60 % = 8.4 %, rounded to 8 %",
        ],
    }


def test_convert_from_the_foot_goes_through_the_lower_extremity(api):
    answer = get_json(api, "calculator-convert", {"level": "foot", "value": "20"})
    assert {key: answer[key] for key in answer if key != "steps"} == {
        "lower_extremity": 14,
        "whole_person": 6,
    }


def test_statutory_mmi_answers_accrual_and_statutory_dates(api):
    # Accrual on the 8th day of disability; statutory MMI 728 days (104 weeks) after it.
    query = {"jurisdiction": "TX", "disability_began": "2024-03-02"}
    assert get_json(api, "calculator-statutory-mmi", query) == {
        "accrual_date": "2024-03-09",
        "statutory_mmi_date": "2026-03-07",
    }


def test_texas_impairment_benefits_use_the_state_wage_of_the_injury_year(api):
    query = {
        "jurisdiction": "TX",
        "rating": "12",
        "average_weekly_wage": "1000",
        "date_of_injury": "2018-01-15",
    }
    assert get_json(api, "calculator-impairment-benefits", query) == {
        "jurisdiction": "TX",
        "benefit": "Impairment income benefits (IIBs)",
        "rating": 12,
        "average_weekly_wage": "1000.00",
        "state_average_weekly_wage": "913.37",
        "weeks": 36,
        "weekly_rate": "639.00",
        "total": "23004.00",
        "wage_share_rate": "700.00",
        "maximum_weekly_rate": "639.00",
        "minimum_weekly_rate": "137.00",
        "state_average_weekly_wage_source": TEXAS_2018_SOURCE,
        "steps": [
            "Weeks: 12 % × 3 weeks per 1 % = 36 weeks (§408.121).",
            "70 % of the worker's average weekly wage $1,000.00 = $700.00 (§408.126).",
            "Maximum: 70 % of the state average weekly wage $913.37 = $639.359, rounded to the "
            "dollar $639.00 (§408.061(b)).",
            "Minimum: 15 % of the state average weekly wage $913.37 = $137.0055, rounded to "
            "the dollar $137.00 (§408.062).",
            "$700.00 is above the maximum, so the weekly rate is the maximum: $639.00 a week.",
            "Total: 36 weeks × $639.00 = $23,004.00.",
        ],
    }


FLORIDA_2025_SOURCE = (
    "Florida Division of Workers' Compensation: maximum weekly compensation rate for dates of "
    "accident 1 Jan – 31 Dec 2025, $1,295 (100 % of the statewide average weekly wage, "
    "Florida Statutes 440.12(2))"
)


def test_florida_impairment_benefits_follow_its_tiers(api):
    query = {
        "jurisdiction": "fl",
        "rating": "16",
        "average_weekly_wage": "1000",
        "date_of_injury": "2025-05-01",
    }
    answer = get_json(api, "calculator-impairment-benefits", query)
    assert {key: answer[key] for key in answer if key != "steps"} == {
        "jurisdiction": "FL",
        "benefit": "Impairment income benefits",
        "rating": 16,
        "average_weekly_wage": "1000.00",
        "state_average_weekly_wage": "1295.00",
        "weeks": 39,
        "weekly_rate": "500.00",
        "total": "19500.00",
        "wage_share_rate": "666.67",
        "maximum_compensation_rate": "1295.00",
        "minimum_compensation_rate": "20.00",
        "temporary_total_rate": "666.67",
        "halved_weekly_rate": "250.00",
        "state_average_weekly_wage_source": FLORIDA_2025_SOURCE,
    }
    assert "Total: 39 weeks × $500.00 = $19,500.00." in answer["steps"]


def test_florida_impairment_benefits_are_capped_and_halved_in_earning_weeks(api):
    # docs/domain.md §4: AWW $3,000, 10 % → TT $1,295 (capped) → $971.25 × 20 = $19,425.
    query = {
        "jurisdiction": "FL",
        "rating": "10",
        "average_weekly_wage": "3000",
        "date_of_injury": "2025-01-01",
    }
    answer = get_json(api, "calculator-impairment-benefits", query)
    assert answer["temporary_total_rate"] == "1295.00"
    assert answer["weekly_rate"] == "971.25"
    assert answer["total"] == "19425.00"
    assert answer["halved_weekly_rate"] == "485.63"
    assert answer["steps"][2:] == [
        "66⅔ % (2/3) of the average weekly wage $3,000.00 = $2,000.00 to the cent (440.15(2)(a)).",
        "Maximum compensation rate for the year of injury: 100 % of the state average weekly "
        "wage $1,295.00, to the nearest dollar, = $1,295.00 (440.12(2)).",
        "Minimum: $20.00 a week (440.12(2)).",
        "$2,000.00 is above the maximum compensation rate, so the temporary total rate is the "
        "maximum: $1,295.00 a week.",
        "Weekly rate: 75 % of $1,295.00 = $971.25, to the cent $971.25 (440.15(3)).",
        "Total: 20 weeks × $971.25 = $19,425.00.",
        "Halved in any week the worker earns at least the pre-injury average weekly wage "
        "$3,000.00: 50 % of $971.25 = $485.625, to the cent $485.63 a week in such weeks "
        "(440.15(3)(c)). The total above assumes no such week.",
    ]


def test_texas_amounts_the_law_does_not_round_are_answered_exactly(api):
    query = {**BENEFITS, "rating": "10", "average_weekly_wage": "700.35"}
    answer = get_json(api, "calculator-impairment-benefits", query)
    assert answer["wage_share_rate"] == "490.245"
    assert answer["weekly_rate"] == "490.245"
    assert answer["total"] == "14707.35"


# --- refusals --------------------------------------------------------------------------------

BENEFITS = {
    "jurisdiction": "TX",
    "rating": "12",
    "average_weekly_wage": "1000",
    "date_of_injury": "2018-01-15",
}


@pytest.mark.parametrize(
    ("name", "query", "parameter", "message"),
    [
        ("calculator-combine", {}, "value", "Enter at least one value"),
        ("calculator-combine", {"value": ["50", "-5"]}, "value", "Value 2 cannot be negative"),
        ("calculator-combine", {"value": "101"}, "value", "Value 1 cannot be over 100"),
        ("calculator-combine", {"value": ["50", "abc"]}, "value", "“abc” is not a number"),
        ("calculator-combine", {"value": "NaN"}, "value", "“NaN” is not a number"),
        ("calculator-convert", {"value": "75"}, "level", "Choose the level"),
        ("calculator-convert", {"level": "elbow", "value": "5"}, "level", "Unknown level “elbow”"),
        ("calculator-convert", {"level": "index"}, "value", "Enter the value"),
        ("calculator-convert", {"level": "index", "value": "-1"}, "value", "cannot be negative"),
        ("calculator-convert", {"level": "hand", "value": "150"}, "value", "cannot be over 100"),
        ("calculator-convert", {"level": "hand", "value": "7.5"}, "value", "whole percent"),
        ("calculator-convert", {"level": "hand", "value": "ten"}, "value", "is not a number"),
        (
            "calculator-statutory-mmi",
            {"jurisdiction": "ZZ", "disability_began": "2024-03-02"},
            "jurisdiction",
            "Unknown jurisdiction “ZZ”",
        ),
        (
            "calculator-statutory-mmi",
            {"jurisdiction": "TX", "disability_began": "03/02/2024"},
            "disability_began",
            "YYYY-MM-DD",
        ),
        (
            "calculator-statutory-mmi",
            {"jurisdiction": "CA", "disability_began": "2024-03-02"},
            "jurisdiction",
            "California has no statutory MMI date",
        ),
        (
            "calculator-impairment-benefits",
            {**BENEFITS, "jurisdiction": "OH"},
            "jurisdiction",
            "Ohio has no impairment benefit rule",
        ),
        (
            "calculator-impairment-benefits",
            {**BENEFITS, "rating": "-3"},
            "rating",
            "cannot be negative",
        ),
        (
            "calculator-impairment-benefits",
            {**BENEFITS, "rating": "101"},
            "rating",
            "cannot be over 100",
        ),
        (
            "calculator-impairment-benefits",
            {**BENEFITS, "rating": "twelve"},
            "rating",
            "is not a number",
        ),
        (
            "calculator-impairment-benefits",
            {**BENEFITS, "average_weekly_wage": "-10"},
            "average_weekly_wage",
            "cannot be negative",
        ),
        (
            "calculator-impairment-benefits",
            {**BENEFITS, "average_weekly_wage": "$1,000"},
            "average_weekly_wage",
            "in dollars",
        ),
        (
            "calculator-impairment-benefits",
            {key: value for key, value in BENEFITS.items() if key != "date_of_injury"},
            "date_of_injury",
            "Enter the date of injury",
        ),
        (
            "calculator-impairment-benefits",
            {**BENEFITS, "date_of_injury": "2019-01-15"},
            "date_of_injury",
            "No Texas state average weekly wage is on file",
        ),
        (
            "calculator-impairment-benefits",
            {**BENEFITS, "jurisdiction": "FL", "date_of_injury": "2024-12-31"},
            "date_of_injury",
            "No Florida state average weekly wage is on file for an injury on",
        ),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(api, name, query, parameter, message):
    error = get_json(api, name, query, status=400)["error"]
    assert error["parameter"] == parameter
    assert message in error["message"]


@pytest.mark.parametrize(
    "name",
    [
        "calculator-combine",
        "calculator-convert",
        "calculator-statutory-mmi",
        "calculator-impairment-benefits",
    ],
)
def test_anonymous_callers_get_a_401_in_json_not_a_login_page(name):
    answer = get_json(client_for(None), name, {"value": "50"}, status=401)
    assert answer == {"error": {"message": "Log in to use the calculators."}}


def test_endpoints_answer_get_only(api):
    assert api.post(reverse("calculator-combine"), {"value": "50"}).status_code == 405


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_every_calculator_to_any_logged_in_user():
    response = client_for(AdjusterFactory()).get(reverse("calculator"))
    assert response.status_code == 200
    for title in (
        "Combine impairments",
        "Convert to whole person",
        "Statutory MMI date",
        "Impairment benefits",
    ):
        assert title in response.content.decode()


def test_the_nav_links_to_the_calculators(api):
    assert f'href="{reverse("calculator")}"' in api.get(reverse("case-list")).content.decode()


def test_the_page_shows_the_result_and_its_working(api):
    page = api.get(reverse("calculator"), {"calculator": "combine", "value": "30, 20, 10"})
    html = page.content.decode()
    assert "Combined value: <strong>50 %</strong>" in html
    assert "Combine 44 % and 10 %: 44 + 10 × (1 − 0.44) = 49.6 %, rounded to 50 %" in html


def test_the_page_shows_a_benefit_estimate_as_an_estimate_with_its_source(api):
    query = {"calculator": "impairment-benefits", **BENEFITS}
    html = api.get(reverse("calculator"), query).content.decode()
    assert "Estimate only, not advice" in html
    assert "$23,004.00" in html
    assert "tdi.texas.gov/news/2017/dwc09252017a.html" in html
    assert "Total: 36 weeks × $639.00 = $23,004.00." in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"calculator": "combine", "value": "-5"}, "Value 1 cannot be negative"),
        ({"calculator": "combine", "value": "120"}, "Value 1 cannot be over 100"),
        ({"calculator": "combine", "value": "lots"}, "“lots” is not a number"),
        ({"calculator": "convert", "level": "elbow", "value": "5"}, "Unknown level “elbow”"),
        (
            {"calculator": "statutory-mmi", "jurisdiction": "XX", "disability_began": "2024-03-02"},
            "Unknown jurisdiction “XX”",
        ),
        (
            {"calculator": "impairment-benefits", **BENEFITS, "jurisdiction": "NY"},
            "New York has no impairment benefit rule",
        ),
    ],
)
def test_bad_input_is_explained_next_to_the_field_on_the_page(api, query, message):
    response = api.get(reverse("calculator"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "is-invalid" in html
    assert "Not calculated" in html
    assert "Working" not in html


def test_the_page_shows_a_florida_estimate_with_its_cap_minimum_and_halving(api):
    query = {
        "calculator": "impairment-benefits",
        "jurisdiction": "FL",
        "rating": "10",
        "average_weekly_wage": "3000",
        "date_of_injury": "2025-06-30",
    }
    html = api.get(reverse("calculator"), query).content.decode()
    assert "Estimate only, not advice" in html
    assert "$971.25" in html
    assert "<strong>$19,425.00</strong>" in html
    assert "$1,295.00 for injuries" in html
    assert FLORIDA_2025_SOURCE in html.replace("&#x27;", "'")
    assert "Maximum compensation rate for the year of injury" in html
    assert "Minimum: $20.00 a week (440.12(2))." in html
    assert "Halved weekly rate" in html
    assert "$485.63 in any week the worker earns at least the pre-injury average weekly wage" in (
        html
    )


def test_the_page_says_when_no_florida_figure_is_on_file(api):
    query = {
        "calculator": "impairment-benefits",
        "jurisdiction": "FL",
        "rating": "10",
        "average_weekly_wage": "3000",
        "date_of_injury": "2024-06-30",
    }
    html = api.get(reverse("calculator"), query).content.decode()
    assert "No Florida state average weekly wage is on file for an injury on" in html
    assert "Not calculated" in html
    assert "Halved weekly rate" not in html


def test_typed_input_is_shown_escaped(api):
    query = {"calculator": "combine", "value": "<script>alert(1)</script>"}
    html = api.get(reverse("calculator"), query).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_htmx_gets_only_the_calculator_it_asked_for(api):
    response = api.get(
        reverse("calculator"),
        {"calculator": "convert", "level": "thumb", "value": "50"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Convert to whole person" in html
    assert "Combine impairments" not in html
    assert "Thumb <strong>50 %</strong> → Hand <strong>20 %</strong>" in html


def test_calculating_adds_no_query_but_the_state_wage_lookup(api):
    def queries(query: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            api.get(reverse("calculator"), query)
        return len(captured)

    blank = queries({})
    assert queries({"calculator": "combine", "value": "50, 30, 20, 10, 5"}) == blank
    assert queries({"calculator": "impairment-benefits", **BENEFITS}) == blank + 1
