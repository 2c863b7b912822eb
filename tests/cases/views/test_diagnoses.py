"""The diagnosis code search behind the picker, and what the case form says of the codes it
refuses. The rules themselves are tested in tests/domain/test_icd10.py."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.selectors.diagnoses import SEARCH_LIMIT
from tests.support.cast import client_for
from tests.support.factories import CaseFactory

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


# Descriptions wherever codes show


def test_case_page_describes_each_code(cast):
    case = CaseFactory(
        insurer=cast.case.insurer, case_manager=cast.case_manager, diagnosis_codes="S43.432A,M54.50"
    )
    page = client_for(cast.case_manager).get(case.get_absolute_url()).content.decode()
    assert "Superior glenoid labrum lesion of left shoulder, initial encounter" in page
    assert "Low back pain, unspecified" in page
    assert "not a billable code" not in page


def test_case_saved_with_a_retired_code_still_shows_it_marked_not_billable(cast):
    case = CaseFactory(
        insurer=cast.case.insurer, case_manager=cast.case_manager, diagnosis_codes="M54.5,Q99.99"
    )
    client = client_for(cast.case_manager)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "M54.5</span> Low back pain" in text
    assert "not a billable code" in text
    assert 'Q99.99</span> <span class="badge text-bg-warning">not in the ICD-10-CM code set' in text
    # The edit form opens with the codes as they are; only saving asks for billable ones.
    assert client.get(reverse("case-edit", args=[case.pk])).status_code == 200


def test_case_list_gives_the_primary_code_its_description(cast):
    CaseFactory(
        claim_number="SHOULDER-1",
        insurer=cast.case.insurer,
        case_manager=cast.case_manager,
        diagnosis_codes="S43.432A,M54.50",
    )
    page = client_for(cast.case_manager).get(reverse("case-list")).content.decode()
    row = page[page.index("SHOULDER-1") :]
    row = row[: row.index("</tr>")]
    assert (
        'title="S43.432A Superior glenoid labrum lesion of left shoulder, initial encounter"' in row
    )
    assert ">S43.432A Superior glenoid labrum lesion of left …</span>" in row


def test_csv_has_the_diagnosis_in_words(cast):
    CaseFactory(
        claim_number="SHOULDER-1",
        insurer=cast.case.insurer,
        case_manager=cast.case_manager,
        diagnosis_codes="S43.432A,M54.5",
    )
    response = client_for(cast.case_manager).get(reverse("case-list-csv"))
    header, *rows = csv.reader(io.StringIO(b"".join(response.streaming_content).decode()))
    row = dict(zip(header, next(r for r in rows if r[0] == "SHOULDER-1"), strict=True))
    assert row["Diagnosis codes"] == "S43.432A M54.5"
    assert row["Diagnosis"] == (
        "S43.432A Superior glenoid labrum lesion of left shoulder, initial encounter; "
        "M54.5 Low back pain (not a billable code)"
    )


def test_time_to_mmi_names_each_diagnosis_group_with_its_category(cast):
    injured = timezone.localdate() - timedelta(days=300)
    for claim, codes in [("A", "S43.432A"), ("B", "S43.401A,M54.50"), ("C", "")]:
        CaseFactory(
            claim_number=claim,
            insurer=cast.case.insurer,
            case_manager=cast.case_manager,
            diagnosis_codes=codes,
            date_of_injury=injured,
            mmi_date=injured + timedelta(days=100),
        )
    statistics = client_for(cast.case_manager).get(reverse("time-to-mmi")).context["statistics"]
    labels = {spread.label: spread.count for spread in statistics.by_diagnosis}
    assert labels == {
        "S43 — Dislocation and sprain of joints and ligaments of shoulder girdle": 2,
        "No diagnosis code": 1,
    }


def test_clinical_step_describes_the_codes_and_refuses_a_code_without_its_7th_character(cast):
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    url = reverse("determination-step", args=[draft.pk, "clinical"])
    client = client_for(cast.clinician)
    page = client.get(url).content.decode()
    assert "Low back pain, unspecified" in page  # the case's M54.50, in the evidence beside

    response = client.post(
        url,
        {
            "exam_date": timezone.localdate().isoformat(),
            "diagnosis_codes": "S33.5",
            "history": "Lifted a crate.",
            "objective_findings": "Tender over L5.",
            "psychological_readiness": "ready",
        },
    )
    assert response.status_code == 200
    assert "S33.5 (Sprain of ligaments of lumbar spine) needs a 7th character" in (
        response.content.decode()
    )
    assert "for example S33.5XXA" in response.content.decode()
