"""The diagnosis code search behind the picker, and what the case form says of the codes it
refuses. The rules themselves are tested in tests/domain/test_icd10.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.selectors.diagnoses import SEARCH_LIMIT
from tests.support.cast import client_for

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test


def search(client, query: str | None) -> list[dict]:
    response = client.get(reverse("diagnosis-search"), {} if query is None else {"q": query})
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize("role", ["clinician", "case_manager", "admin"])
def test_roles_that_write_diagnoses_may_search(cast, role):
    assert search(client_for(getattr(cast, role)), "M54.50")[0]["code"] == "M54.50"


def test_adjuster_may_not_search(cast):
    response = client_for(cast.adjuster).get(reverse("diagnosis-search"), {"q": "M54"})
    assert response.status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(reverse("diagnosis-search"), {"q": "M54"})
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_words_find_codes_with_descriptions(cast):
    results = search(client_for(cast.case_manager), "low back pain")
    assert {"code": "M54.50", "description": "Low back pain, unspecified"} in results
    assert {"code": "M54.51", "description": "Vertebrogenic low back pain"} in results
    # M54.5 is a category now, so the search offers only the codes below it.
    assert "M54.5" not in [result["code"] for result in results]


def test_start_of_a_code_finds_billable_codes_below_it_in_order(cast):
    results = search(client_for(cast.case_manager), "S43.4")
    codes = [result["code"] for result in results]
    assert codes[:3] == ["S43.401A", "S43.401D", "S43.401S"]
    assert all(code.startswith("S43.4") for code in codes)


def test_code_typed_without_dot_or_in_lower_case_is_found(cast):
    results = search(client_for(cast.case_manager), "s43432a")
    assert results == [
        {
            "code": "S43.432A",
            "description": "Superior glenoid labrum lesion of left shoulder, initial encounter",
        }
    ]


def test_start_of_words_find_codes(cast):
    results = search(client_for(cast.clinician), "shoulder disloc")
    assert results
    for result in results:
        words = result["description"].lower()
        assert "shoulder" in words and "disloc" in words


@pytest.mark.parametrize("query", [None, "", "   ", ",;"])
def test_empty_query_finds_nothing(cast, query):
    assert search(client_for(cast.case_manager), query) == []


def test_nothing_matching_answers_an_empty_list(cast):
    assert search(client_for(cast.case_manager), "zzqx") == []


def test_results_are_limited(cast):
    assert len(search(client_for(cast.case_manager), "pain")) == SEARCH_LIMIT == 20


def test_hostile_query_is_answered_as_text(cast):
    assert search(client_for(cast.case_manager), "<script>alert(1)</script>' OR 1=1 --") == []
    assert search(client_for(cast.case_manager), "x" * 10_000) == []


def test_search_asks_the_database_nothing_of_its_own(cast):
    client = client_for(cast.case_manager)
    search(client, "knee")

    def queries(query: str) -> int:
        with CaptureQueriesContext(connection) as context:
            search(client, query)
        return len(context.captured_queries)

    # What the session and the second factor ask, and no more for a search that finds codes.
    assert queries("shoulder sprain") == queries("")
