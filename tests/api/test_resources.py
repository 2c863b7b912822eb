"""Each resource: what it lists, its filters and ordering, and a fixed number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, Instrument
from tests.support.api import api_client
from tests.support.factories import (
    AssessmentFactory,
    CaseFactory,
    ConsultationFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

TODAY = timezone.localdate


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_cases_filter_by_status_search_and_insurer(cast):
    at_mmi = CaseFactory(insurer=cast.case.insurer, case_manager=cast.case_manager)
    at_mmi.status = CaseStatus.AT_MMI
    at_mmi.save()
    client = api_client(cast.case_manager)
    url = reverse("api:case-list")
    assert ids(client.get(url, {"status": "at_mmi"})) == [at_mmi.pk]
    assert ids(client.get(url, {"q": cast.case.claim_number})) == [cast.case.pk]
    assert ids(client.get(url, {"q": cast.case.patient.last_name})) == [cast.case.pk]
    assert set(ids(client.get(url, {"insurer": cast.case.insurer_id}))) == {
        cast.case.pk,
        at_mmi.pk,
    }
    assert ids(client.get(url, {"insurer": cast.case.insurer_id + 1000})) == []


def test_cases_filter_by_injury_dates_and_sort(cast):
    older = CaseFactory(
        case_manager=cast.case_manager, date_of_injury=TODAY() - timedelta(days=400)
    )
    client = api_client(cast.case_manager)
    url = reverse("api:case-list")
    cutoff = (TODAY() - timedelta(days=300)).isoformat()
    assert ids(client.get(url, {"injured_before": cutoff})) == [older.pk]
    assert ids(client.get(url, {"injured_after": cutoff})) == [cast.case.pk]
    assert ids(client.get(url, {"sort": "injured"})) == [older.pk, cast.case.pk]
    assert ids(client.get(url, {"sort": "-injured"})) == [cast.case.pk, older.pk]


@pytest.mark.parametrize(
    "query,field",
    [
        ({"status": "sideways"}, "status"),
        ({"status": ""}, "status"),
        ({"injured_after": "yesterday"}, "injured"),
        ({"sort": "salary"}, "sort"),
        ({"sort": ",,"}, "sort"),
        ({"sort": "injured,"}, "sort"),
        ({"insurer": "abc"}, "insurer"),
        ({"page_size": "1000"}, "page_size"),
        ({"page": ""}, "page"),
        ({"page": "last"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": ["5", "10"]}, "page_size"),
        ({"status": ["open", "closed"]}, "status"),
    ],
)
def test_a_bad_filter_is_refused_with_its_name(cast, query, field):
    response = api_client(cast.admin).get(reverse("api:case-list"), query)
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert field in body["fields"]


def test_cases_filter_by_case_manager_and_clinician_ids(cast):
    other = CaseFactory(case_manager=cast.other_case_manager, care_team=[cast.other_clinician])
    client = api_client(cast.admin)
    url = reverse("api:case-list")
    assert other.pk in ids(client.get(url, {"case_manager": cast.other_case_manager.pk}))
    assert cast.case.pk not in ids(client.get(url, {"case_manager": cast.other_case_manager.pk}))
    assert ids(client.get(url, {"clinician": cast.other_clinician.pk})) == [other.pk]
    # Someone else's people find none of one's own cases, and say nothing of them.
    manager = api_client(cast.case_manager)
    assert ids(manager.get(url, {"clinician": cast.other_clinician.pk})) == []
    refused = manager.get(url, {"case_manager": "jones"})
    assert refused.status_code == 400
    assert "case_manager" in refused.json()["error"]["fields"]


def test_pages_hold_page_size_cases(cast):
    for _ in range(3):
        CaseFactory(case_manager=cast.case_manager)
    response = api_client(cast.case_manager).get(reverse("api:case-list"), {"page_size": 2})
    body = response.json()
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert body["next"]


def test_the_weekly_wage_is_shown_only_to_roles_that_see_benefits(cast):
    url = reverse("api:case-detail", args=[cast.case.pk])
    assert api_client(cast.adjuster).get(url).json()["average_weekly_wage"] == "1000.00"
    assert api_client(cast.clinician).get(url).json()["average_weekly_wage"] is None


@pytest.mark.parametrize("size", [1, 6])
def test_the_case_list_costs_the_same_queries_at_any_size(cast, size, django_assert_num_queries):
    for _ in range(size):
        CaseFactory(case_manager=cast.case_manager)
    client = api_client(cast.case_manager)
    # token, last-used stamp, count, page
    with django_assert_num_queries(4):
        assert client.get(reverse("api:case-list")).status_code == 200


def fill(cast, size: int) -> None:
    odi = Instrument.objects.get(abbreviation="ODI")
    for n in range(size):
        TreatmentFactory(case=cast.case)
        assessment = AssessmentFactory(
            case=cast.case,
            clinician=cast.clinician,
            date=cast.case.date_of_injury + timedelta(days=10 + n),
        )
        OutcomeScoreFactory(assessment=assessment, instrument=odi, value=Decimal(40 - n))
        DiagnosticFactory(case=cast.case)
        ConsultationFactory(case=cast.case)
        WorkRestrictionFactory(work_status=WorkStatusFactory(case=cast.case))


@pytest.mark.parametrize(
    "name",
    [
        "api:treatment-list",
        "api:assessment-list",
        "api:diagnostic-list",
        "api:consultation-list",
        "api:work-status-list",
        "api:determination-list",
        "api:report-list",
    ],
)
def test_record_lists_cost_the_same_queries_at_any_size(cast, name):
    client = api_client(cast.clinician)
    client.get(reverse("api:case-list"))  # stamps the token's last use
    url = reverse(name, args=[cast.case.pk])
    counts = []
    for more in (1, 5):
        fill(cast, more)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    # token, case, access log (its chain lock on PostgreSQL), count, page, prefetches
    assert counts[0] == counts[1] <= 10


def test_assessments_come_with_their_scores(cast):
    fill(cast, 2)
    rows = api_client(cast.adjuster).get(reverse("api:assessment-list", args=[cast.case.pk]))
    first = rows.json()["results"][0]
    assert first["clinician"]["name"] == "Emily Chen"
    assert first["scores"] == [
        {"instrument": "ODI", "value": "40.00", "scale_min": "0.00", "scale_max": "100.00"}
    ]


def test_record_filters(cast):
    TreatmentFactory(
        case=cast.case, kind="surgery", end_date=cast.case.date_of_injury + timedelta(days=8)
    )
    ongoing = TreatmentFactory(case=cast.case, kind="pt")
    DiagnosticFactory(case=cast.case, kind="xray", stability="changed")
    mri = DiagnosticFactory(case=cast.case, kind="mri", stability="stable")
    ConsultationFactory(case=cast.case, mmi_opinion="disagrees")
    agrees = ConsultationFactory(case=cast.case, mmi_opinion="agrees")
    WorkStatusFactory(case=cast.case, kind="off_work")
    restricted = WorkStatusFactory(case=cast.case, kind="restricted")
    client = api_client(cast.clinician)

    def listed(name, query):
        return ids(client.get(reverse(name, args=[cast.case.pk]), query))

    assert listed("api:treatment-list", {"ongoing": "true"}) == [ongoing.pk]
    assert listed("api:treatment-list", {"kind": "pt"}) == [ongoing.pk]
    assert listed("api:diagnostic-list", {"stability": "stable"}) == [mri.pk]
    assert listed("api:consultation-list", {"mmi_opinion": "agrees"}) == [agrees.pk]
    assert listed("api:work-status-list", {"kind": "restricted"}) == [restricted.pk]
    response = client.get(reverse("api:treatment-list", args=[cast.case.pk]), {"ongoing": "x"})
    assert response.status_code == 400
    assert "ongoing" in response.json()["error"]["fields"]


def test_record_lists_sort_by_date(cast):
    early = AssessmentFactory(case=cast.case, clinician=cast.clinician)
    late = AssessmentFactory(
        case=cast.case, clinician=cast.clinician, date=early.date + timedelta(days=30)
    )
    url = reverse("api:assessment-list", args=[cast.case.pk])
    client = api_client(cast.clinician)
    assert ids(client.get(url, {"ordering": "-date"})) == [late.pk, early.pk]
    assert client.get(url, {"ordering": "clinician"}).status_code == 400


def test_work_statuses_carry_their_restrictions(cast):
    restriction = WorkRestrictionFactory(work_status=WorkStatusFactory(case=cast.case))
    rows = api_client(cast.adjuster).get(reverse("api:work-status-list", args=[cast.case.pk]))
    [status] = rows.json()["results"]
    assert status["restrictions"][0]["id"] == restriction.pk
    assert status["restrictions"][0]["max_pounds"] == 20
