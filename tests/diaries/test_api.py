"""Tasks in the REST API: a case's tasks, a task made by hand (bad input refused with the
field named), a task marked done; a case the caller may not see answers 404."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diaries import services
from diaries.models import Task
from tests.support.api import api_client

pytestmark = pytest.mark.usefixtures("module_cast")


def today():
    return timezone.localdate()


def test_a_case_manager_adds_a_task_for_the_doctor_and_lists_it(cast):
    client = api_client(cast.case_manager)
    url = reverse("api:task-list", args=[cast.case.pk])
    due = (today() + timedelta(days=3)).isoformat()
    response = client.post(
        url,
        {"title": "Send the DWC073", "due_on": due, "assignee": cast.clinician.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["assignee"]["id"] == cast.clinician.pk
    assert body["created_by"]["id"] == cast.case_manager.pk
    assert body["done"] is False and body["rule"] == "" and body["due_on"] == due

    listed = api_client(cast.adjuster).get(url).json()
    assert [task["title"] for task in listed["results"]] == ["Send the DWC073"]
    assert api_client(cast.adjuster).get(url, {"done": "true"}).json()["count"] == 0


def test_the_assignee_defaults_to_the_caller(cast):
    response = api_client(cast.adjuster).post(
        reverse("api:task-list", args=[cast.case.pk]),
        {"title": "Diary the file", "due_on": today().isoformat()},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["assignee"]["id"] == cast.adjuster.pk


@pytest.mark.parametrize(
    "data,field",
    [
        ({"title": "Late", "due_on": "2020-01-01"}, "due_on"),
        ({"title": "", "due_on": "2030-01-01"}, "title"),
        ({"title": "No date"}, "due_on"),
        ({"title": "Bad date", "due_on": "next visit"}, "due_on"),
        ({"title": 5, "due_on": "2030-01-01"}, "title"),
        ({"title": "Outsider", "due_on": "2030-01-01", "assignee": 999999}, "assignee"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, data, field):
    response = api_client(cast.case_manager).post(
        reverse("api:task-list", args=[cast.case.pk]), data, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Task.objects.exists()


def test_a_task_for_someone_who_may_not_see_the_case_is_refused(cast):
    response = api_client(cast.case_manager).post(
        reverse("api:task-list", args=[cast.case.pk]),
        {"title": "Call", "due_on": today().isoformat(), "assignee": cast.other_adjuster.pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["assignee"] == [
        "Assign the task to someone who may see this case."
    ]


def test_marking_done_through_the_api(cast):
    task = services.task_create(
        case=cast.case,
        created_by=cast.case_manager,
        title="Chase records",
        due_on=today(),
        assignee=cast.clinician,
    )
    url = reverse("api:task-done", args=[task.pk])
    assert api_client(cast.other_clinician).post(url).status_code == 404
    response = api_client(cast.clinician).post(url)
    assert response.status_code == 200
    assert response.json()["done"] is True
    assert response.json()["done_by"]["id"] == cast.clinician.pk
    again = api_client(cast.case_manager).post(url)
    assert again.json()["done_by"]["id"] == cast.clinician.pk  # done once, by whoever did


def test_hidden_and_missing_tasks_answer_alike(cast):
    task = services.task_create(
        case=cast.case, created_by=cast.admin, title="x", due_on=today(), assignee=cast.admin
    )
    client = api_client(cast.other_adjuster)
    hidden = client.post(reverse("api:task-done", args=[task.pk]))
    missing = client.post(reverse("api:task-done", args=[task.pk + 1000]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert client.get(reverse("api:task-list", args=[cast.case.pk])).status_code == 404


def test_the_schema_documents_the_task_endpoints(cast):
    schema = api_client(cast.admin).get(reverse("api:schema"), {"format": "json"}).json()
    create = schema["paths"]["/api/v1/cases/{case_id}/tasks/"]["post"]
    # A refusal (400) is the documented "default" error, as for every other write.
    assert {"201", "401", "403", "404", "default"} <= set(create["responses"])
    done = schema["paths"]["/api/v1/tasks/{task_id}/done/"]["post"]
    assert {"200", "401", "403", "404", "default"} <= set(done["responses"])


def test_a_cases_task_list_makes_the_same_queries_with_3_and_30_tasks(cast):
    client = api_client(cast.case_manager)
    url = reverse("api:task-list", args=[cast.case.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    for people in ((cast.case_manager, cast.clinician),) * 3:
        services.task_create(
            case=cast.case, created_by=people[0], title="t", due_on=today(), assignee=people[1]
        )
    queries()  # the token's last use is written at its first request only
    few = queries()
    for _ in range(27):
        services.task_create(
            case=cast.case,
            created_by=cast.clinician,
            title="t",
            due_on=today(),
            assignee=cast.adjuster,
        )
    assert queries() == few
