"""The permission matrix over the API, called as systems call it (a token per user).

The same answers as the pages: 404 for a case the user may not see, 403 for a role that may
not act; 401 without credentials (the API does not redirect to a login page).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import get_resolver, reverse
from django.utils import timezone

from diaries.services import task_create
from tests.support.api import api_client, issue_certification, signed_determination
from tests.support.cast import Cast
from tests.support.deliveries import case_with_listed_certification
from tests.support.outside_records import pdf_bytes, record_on, upload
from tests.support.permissions import url_names

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

ROLES = [
    "clinician",
    "other_clinician",
    "case_manager",
    "other_case_manager",
    "adjuster",
    "other_adjuster",
    "admin",
    "anonymous",
]
EVERYONE = dict.fromkeys(ROLES, 200) | {"anonymous": 401}
READ_CASE = {
    "clinician": 200,
    "other_clinician": 404,
    "case_manager": 200,
    "other_case_manager": 404,
    "adjuster": 200,
    "other_adjuster": 404,
    "admin": 200,
    "anonymous": 401,
}
RECORD_CLINICAL = {
    "clinician": 201,
    "other_clinician": 404,
    "case_manager": 403,
    "other_case_manager": 404,
    "adjuster": 403,
    "other_adjuster": 404,
    "admin": 403,
    "anonymous": 401,
}
# The documentation page is a browser page: a token does not sign a browser in.
DOCS_WITH_TOKEN = dict.fromkeys(ROLES, 302)


@dataclass
class Row:
    expect: dict[str, int]
    kwargs: Callable[[Cast], dict] = lambda cast: {}
    method: str = "get"
    data: Callable[[Cast], dict] = lambda cast: {}
    format: str = "json"


def case_id(cast: Cast) -> dict:
    return {"case_id": cast.case.pk}


def determination_id(cast: Cast) -> dict:
    return {"determination_id": signed_determination(cast.case, cast.clinician).pk}


def report_id(cast: Cast) -> dict:
    determination = signed_determination(cast.case, cast.clinician)
    return {"report_id": issue_certification(determination, by=cast.clinician).pk}


def task_id(cast: Cast) -> dict:
    task = task_create(
        case=cast.case,
        created_by=cast.case_manager,
        title="Call the adjuster",
        due_on=timezone.localdate(),
        assignee=cast.case_manager,
    )
    return {"task_id": task.pk}


def outside_record_id(cast: Cast) -> dict:
    return {"record_id": record_on(cast.case, cast.case_manager).pk}


def outside_record_upload(cast: Cast) -> dict:
    """A file no one has sent before, so that each role's upload is judged on its own."""
    marker = uuid.uuid4().hex
    return {
        "documents": [upload(f"{marker}.pdf", pdf_bytes(marker=marker))],
        "document_type": "imaging",
        "received_on": a_week_ago(),
        "received_from": "Lone Star Mutual",
    }


def a_week_ago() -> str:
    return (timezone.localdate() - timedelta(days=7)).isoformat()


GET_ROWS: dict[str, Row] = {
    "api:case-list": Row(EVERYONE),
    "api:case-detail": Row(READ_CASE, case_id),
    "api:treatment-list": Row(READ_CASE, case_id),
    "api:assessment-list": Row(READ_CASE, case_id),
    "api:diagnostic-list": Row(READ_CASE, case_id),
    "api:consultation-list": Row(READ_CASE, case_id),
    "api:work-status-list": Row(READ_CASE, case_id),
    "api:determination-list": Row(READ_CASE, case_id),
    "api:determination-detail": Row(READ_CASE, determination_id),
    "api:report-list": Row(READ_CASE, case_id),
    "api:report-download": Row(READ_CASE, report_id),
    "api:fhir-everything": Row(READ_CASE, case_id),
    "api:delivery-list": Row(READ_CASE, case_id),
    # Marking a task done is a POST (WRITE_ROWS).
    "api:task-list": Row(READ_CASE, case_id),
    "api:task-done": Row(dict.fromkeys(ROLES, 405) | {"anonymous": 401}, task_id),
    "api:note-list": Row(READ_CASE, case_id),
    "api:outside-record-list": Row(READ_CASE, case_id),
    "api:outside-record-download": Row(READ_CASE, outside_record_id),
    "api:calculator-combine": Row(EVERYONE, data=lambda cast: {"value": ["50", "30"]}),
    "api:calculator-convert": Row(EVERYONE, data=lambda cast: {"level": "index", "value": "75"}),
    "api:calculator-statutory-mmi": Row(
        EVERYONE, data=lambda cast: {"jurisdiction": "TX", "disability_began": "2024-03-02"}
    ),
    "api:calculator-impairment-benefits": Row(
        EVERYONE,
        data=lambda cast: {
            "jurisdiction": "TX",
            "rating": "12",
            "average_weekly_wage": "1000",
            "date_of_injury": "2018-01-15",
        },
    ),
    "api:schema": Row(EVERYONE),
    "api:docs": Row(DOCS_WITH_TOKEN),
}
WRITE_ROWS: dict[str, Row] = {
    "api:delivery-list": Row(
        {
            **READ_CASE,
            **dict.fromkeys(("clinician", "case_manager", "admin"), 201),
            "adjuster": 403,
        },
        case_with_listed_certification,
        method="post",
        data=lambda cast: {
            "determination": cast.listed.pk,
            "party": "employee",
            "method": "hand",
            "delivered_on": str(timezone.localdate()),
        },
    ),
    "api:treatment-list": Row(
        RECORD_CLINICAL,
        case_id,
        method="post",
        data=lambda cast: {
            "kind": "pt",
            "description": "Core stability",
            "start_date": a_week_ago(),
        },
    ),
    "api:assessment-list": Row(
        RECORD_CLINICAL,
        case_id,
        method="post",
        data=lambda cast: {"date": a_week_ago(), "pain_score": 4},
    ),
    "api:task-list": Row(
        {**READ_CASE, **dict.fromkeys(("clinician", "case_manager", "adjuster", "admin"), 201)},
        case_id,
        method="post",
        data=lambda cast: {"title": "Chase the MRI report", "due_on": str(timezone.localdate())},
    ),
    "api:task-done": Row(
        {**READ_CASE, **dict.fromkeys(("clinician", "case_manager", "adjuster", "admin"), 200)},
        task_id,
        method="post",
    ),
    "api:note-list": Row(
        {**READ_CASE, **dict.fromkeys(("clinician", "case_manager", "adjuster", "admin"), 201)},
        case_id,
        method="post",
        data=lambda cast: {
            "kind": "call",
            "happened_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "party": "carrier",
            "text": "Asked for the MRI report.",
        },
    ),
    "api:outside-record-list": Row(
        {
            **READ_CASE,
            **dict.fromkeys(("clinician", "case_manager", "admin"), 201),
            "adjuster": 403,
        },
        case_id,
        method="post",
        data=outside_record_upload,
        format="multipart",
    ),
    "api:work-status-list": Row(
        RECORD_CLINICAL,
        case_id,
        method="post",
        data=lambda cast: {
            "kind": "restricted",
            "effective_from": a_week_ago(),
            "expected_through": (timezone.localdate() + timedelta(days=21)).isoformat(),
            "restrictions": [{"category": "lift_carry", "activity": "lift", "max_pounds": 20}],
        },
    ),
}


def test_every_api_url_name_has_a_row():
    api_names = {name for name in url_names() if name.startswith("api:")}
    assert api_names == set(GET_ROWS)


def test_every_api_write_has_a_row():
    _, api = get_resolver().namespace_dict["api"]
    writable = {
        f"api:{pattern.name}"
        for pattern in api.url_patterns
        if pattern.name and hasattr(getattr(pattern.callback, "cls", None), "post")
    }
    assert writable == set(WRITE_ROWS)


@pytest.mark.parametrize(
    "name,row",
    [(name, row) for name, row in GET_ROWS.items()]
    + [(f"{name} (POST)", row) for name, row in WRITE_ROWS.items()],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_api_permission_matrix(name, row, cast):
    url = reverse(name.removesuffix(" (POST)"), kwargs=row.kwargs(cast))
    got = {}
    for role, user in cast.roles().items():
        client = api_client(user)
        if row.method == "get":
            response = client.get(url, row.data(cast))
        else:
            response = client.post(url, row.data(cast), format=row.format)
        got[role] = response.status_code
    assert got == row.expect, f"{name} ({url})"


def test_hidden_and_missing_cases_answer_alike(cast):
    client = api_client(cast.other_adjuster)
    hidden = client.get(reverse("api:case-detail", args=[cast.case.pk]))
    missing = client.get(reverse("api:case-detail", args=[cast.case.pk + 10_000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_a_case_list_shows_only_the_cases_the_user_may_see(cast):
    listed = api_client(cast.other_adjuster).get(reverse("api:case-list")).json()
    assert cast.case.pk not in [row["id"] for row in listed["results"]]
    listed = api_client(cast.adjuster).get(reverse("api:case-list")).json()
    assert [row["id"] for row in listed["results"]] == [cast.case.pk]


def test_adjusters_never_see_draft_determinations(cast):
    from tests.support.factories import DeterminationFactory

    draft = DeterminationFactory(case=cast.case, certifying_clinician=cast.clinician)
    url = reverse("api:determination-detail", args=[draft.pk])
    assert api_client(cast.adjuster).get(url).status_code == 404
    assert api_client(cast.clinician).get(url).status_code == 200
    listed = api_client(cast.adjuster).get(reverse("api:determination-list", args=[cast.case.pk]))
    assert listed.json()["count"] == 0


def test_an_id_too_large_for_the_database_answers_404(cast):
    response = api_client(cast.admin).get("/api/v1/cases/99999999999999999999999/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("case_id", ["not-a-number", "%0A", "a%0Ab%C2%AE"])
def test_a_path_that_is_not_a_case_id_answers_a_json_404(cast, case_id):
    response = api_client(cast.admin).get(f"/api/v1/cases/{case_id}/work-statuses/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
