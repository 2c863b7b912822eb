"""The work status rules (Texas DWC073 model, docs/domain.md §7) are written once, in
cases/domain/work_status.py, and every way of recording a work status applies them: the
page's form, the API and services.work_status_save itself. Each refuses an incomplete
status with the same words and saves nothing; a complete one is saved by each. The admin
shows clinical records and changes none of them."""

import html
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.domain.work_status import check_work_status
from cases.models import Instrument, Organisation, WorkRestriction, WorkStatus
from tests.support.api import api_client
from tests.support.cast import client_for
from tests.support.factories import (
    AssessmentFactory,
    ConsultationFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

TODAY = timezone.localdate
LIFT = {"category": "lift_carry", "activity": "lift", "max_pounds": 20, "frequency": "occasional"}


@pytest.fixture(autouse=True)
def _api_settings(settings):
    settings.API_RATE_LIMIT = "10000/minute"
    cache.clear()


@dataclass(frozen=True)
class Status:
    kind: str
    start: int | None = 0  # days from today
    end: int | None = None
    explanation: str = ""
    restrictions: list[dict] = field(default_factory=list)

    @property
    def start_date(self) -> date | None:
        return None if self.start is None else TODAY() + timedelta(days=self.start)

    @property
    def end_date(self) -> date | None:
        return None if self.end is None else TODAY() + timedelta(days=self.end)

    def expected_refusal(self) -> list[str]:
        """What the rule says, asked directly."""
        return sorted(
            check_work_status(
                self.kind,
                self.start_date,
                self.end_date,
                self.explanation,
                len(self.restrictions),
            )
        )


BAD = {
    "full-duty-with-a-restriction": Status("full_duty", restrictions=[LIFT]),
    "full-duty-with-an-end-date": Status("full_duty", end=30),
    "restricted-without-a-restriction": Status("restricted", end=30),
    "restricted-without-an-end-date": Status("restricted", restrictions=[LIFT]),
    "off-work-without-an-end-date": Status("off_work", explanation="Post-operative"),
    "end-before-start": Status("restricted", start=0, end=-3, restrictions=[LIFT]),
    "off-work-without-an-explanation": Status("off_work", end=14, explanation="   "),
}
GOOD = {
    "restricted": Status("restricted", end=30, restrictions=[LIFT]),
    "full-duty": Status("full_duty"),
    "off-work": Status("off_work", end=14, explanation="Post-operative, non-weight-bearing"),
}


def counts() -> tuple[int, int]:
    return WorkStatus.objects.count(), WorkRestriction.objects.count()


# --- The three paths ---------------------------------------------------------------------


def through_the_service(cast, status: Status):
    return services.work_status_save(
        work_status=WorkStatus(
            case=cast.case,
            issued_by=cast.clinician,
            kind=status.kind,
            effective_from=status.start_date,
            expected_through=status.end_date,
            explanation=status.explanation,
        ),
        restrictions=[WorkRestriction(**restriction) for restriction in status.restrictions],
    )


def web_data(status: Status) -> dict:
    data = {
        "kind": status.kind,
        "effective_from": str(status.start_date or ""),
        "expected_through": str(status.end_date or ""),
        "explanation": status.explanation,
        "restrictions-TOTAL_FORMS": "3",
        "restrictions-INITIAL_FORMS": "0",
    }
    for index, restriction in enumerate(status.restrictions):
        data |= {f"restrictions-{index}-{name}": value for name, value in restriction.items()}
    return data


def through_the_page(cast, status: Status):
    return client_for(cast.clinician).post(
        reverse("work-status-add", args=[cast.case.pk]), web_data(status)
    )


def api_body(status: Status) -> dict:
    return {
        "kind": status.kind,
        "effective_from": status.start_date and status.start_date.isoformat(),
        "expected_through": status.end_date and status.end_date.isoformat(),
        "explanation": status.explanation,
        "restrictions": status.restrictions,
    }


def through_the_api(cast, body: dict | list | str):
    url = reverse("api:work-status-list", args=[cast.case.pk])
    if isinstance(body, str):
        return api_client(cast.clinician).post(url, body, content_type="application/json")
    return api_client(cast.clinician).post(url, body, format="json")


# --- Refused alike -----------------------------------------------------------------------


@pytest.mark.parametrize("status", BAD.values(), ids=BAD.keys())
def test_the_service_refuses_with_the_rules_words(cast, status):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        through_the_service(cast, status)
    assert sorted(refused.value.messages) == status.expected_refusal()
    assert counts() == before


@pytest.mark.parametrize("status", BAD.values(), ids=BAD.keys())
def test_the_page_refuses_with_the_rules_words_and_keeps_what_was_typed(cast, status):
    before = counts()
    response = through_the_page(cast, status)
    assert response.status_code == 200
    form, restrictions = response.context["form"], response.context["restrictions"]
    shown = [message for messages in form.errors.values() for message in messages]
    assert sorted(shown) == status.expected_refusal()
    assert not any(restrictions.errors)
    page = response.content.decode()
    for message in status.expected_refusal():
        assert html.escape(message) in page
    assert "Constraint" not in page
    # What was typed is still there.
    assert form["kind"].value() == status.kind
    assert form["effective_from"].value() == str(status.start_date)
    for index, restriction in enumerate(status.restrictions):
        assert restrictions.forms[index]["activity"].value() == restriction["activity"]
        assert f'value="{restriction["activity"]}"' in page
    assert counts() == before


@pytest.mark.parametrize("status", BAD.values(), ids=BAD.keys())
def test_the_api_refuses_with_the_rules_words(cast, status):
    before = counts()
    response = through_the_api(cast, api_body(status))
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    given = [message for messages in error["fields"].values() for message in messages]
    assert sorted(given) == status.expected_refusal()
    assert counts() == before


@pytest.mark.parametrize("status", BAD.values(), ids=BAD.keys())
def test_each_path_names_the_same_fields(cast, status):
    """The page marks each problem on the field the API names (the whole status when it is
    about the list of restrictions)."""
    with pytest.raises(ValidationError) as refused:
        through_the_service(cast, status)
    service = {
        ("non_field_errors" if name == "__all__" else name): sorted(messages)
        for name, messages in refused.value.message_dict.items()
    }
    page = through_the_page(cast, status).context["form"].errors
    page = {
        ("non_field_errors" if name == "__all__" else name): sorted(messages)
        for name, messages in page.items()
    }
    api = {
        name: sorted(messages)
        for name, messages in through_the_api(cast, api_body(status))
        .json()["error"]["fields"]
        .items()
    }
    assert service == page == api


# --- Saved alike -------------------------------------------------------------------------


def saved_restrictions(work_status: WorkStatus) -> list[str]:
    return [str(restriction) for restriction in work_status.restrictions.all()]


@pytest.mark.parametrize("status", GOOD.values(), ids=GOOD.keys())
def test_a_complete_status_is_saved_by_the_service(cast, status):
    saved = through_the_service(cast, status)
    saved.refresh_from_db()
    assert (saved.kind, saved.effective_from, saved.expected_through) == (
        status.kind,
        status.start_date,
        status.end_date,
    )
    assert len(saved_restrictions(saved)) == len(status.restrictions)


@pytest.mark.parametrize("status", GOOD.values(), ids=GOOD.keys())
def test_a_complete_status_is_saved_from_the_page(cast, status):
    response = through_the_page(cast, status)
    assert response.status_code == 302
    saved = WorkStatus.objects.get(case=cast.case)
    assert (saved.kind, saved.effective_from, saved.expected_through) == (
        status.kind,
        status.start_date,
        status.end_date,
    )
    assert saved.issued_by == cast.clinician
    assert len(saved_restrictions(saved)) == len(status.restrictions)


@pytest.mark.parametrize("status", GOOD.values(), ids=GOOD.keys())
def test_a_complete_status_is_saved_through_the_api(cast, status):
    response = through_the_api(cast, api_body(status))
    assert response.status_code == 201, response.content
    body = response.json()
    saved = WorkStatus.objects.get(pk=body["id"])
    assert saved.case == cast.case
    assert saved.issued_by == cast.clinician
    assert body["kind"] == status.kind
    assert body["issued_by"]["id"] == cast.clinician.pk
    assert body["expected_through"] == (status.end_date and status.end_date.isoformat())
    assert len(body["restrictions"]) == len(saved_restrictions(saved)) == len(status.restrictions)


def test_the_api_returns_the_restrictions_it_saved(cast):
    response = through_the_api(
        cast,
        api_body(
            Status(
                "restricted",
                end=30,
                restrictions=[
                    LIFT,
                    {
                        "category": "posture",
                        "activity": "stand",
                        "max_hours_per_day": "2.5",
                        "is_permanent": True,
                    },
                ],
            )
        ),
    )
    assert response.status_code == 201, response.content
    restrictions = {r["activity"]: r for r in response.json()["restrictions"]}
    assert restrictions["lift"]["max_pounds"] == 20
    assert restrictions["stand"]["max_hours_per_day"] == "2.5"
    assert restrictions["stand"]["is_permanent"] is True


# --- The API's input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body,field",
    [
        ({"kind": "part_time", "effective_from": "2026-01-05"}, "kind"),
        ({"kind": "full_duty", "effective_from": "next visit"}, "effective_from"),
        ({"kind": "full_duty"}, "effective_from"),
        ({"kind": "restricted", "effective_from": "2026-01-05", "hours_per_day": 25}, None),
        ({"kind": "full_duty", "effective_from": "2026-01-05", "hours_per_day": "4"}, None),
        ({"kind": "full_duty", "effective_from": "2026-01-05", "explanation": 7}, None),
        ({"kind": "full_duty", "effective_from": "2026-01-05", "restrictions": {}}, None),
        ({"kind": "full_duty", "effective_from": "2026-01-05", "restrictions": [7]}, None),
        ({"kind": "full_duty", "effective_from": "2026-01-05", "restrictions": None}, None),
        (
            {
                "kind": "restricted",
                "effective_from": "2026-01-05",
                "expected_through": "2026-02-05",
                "restrictions": [{**LIFT, "max_pounds": -1}],
            },
            "restrictions.0.max_pounds",
        ),
        (
            {
                "kind": "restricted",
                "effective_from": "2026-01-05",
                "expected_through": "2026-02-05",
                "restrictions": [{**LIFT, "max_hours_per_day": "30"}],
            },
            "restrictions.0.max_hours_per_day",
        ),
        (
            {
                "kind": "restricted",
                "effective_from": "2026-01-05",
                "expected_through": "2026-02-05",
                "restrictions": [{"activity": "lift"}],
            },
            "restrictions.0.category",
        ),
        (
            {
                "kind": "restricted",
                "effective_from": "2026-01-05",
                "expected_through": "2026-02-05",
                "restrictions": [LIFT] * 31,
            },
            "restrictions",
        ),
        ([], None),
        ('"a string"', None),
    ],
)
def test_bad_api_input_answers_400_naming_the_field(cast, body, field):
    before = counts()
    response = through_the_api(cast, body)
    assert response.status_code == 400, response.content
    fields = response.json()["error"]["fields"]
    assert fields
    if field is not None:
        assert field in fields, fields
    assert counts() == before


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        '{"kind": "full_duty", "effective_from": "2026-01-05", "explanation": '
        + "[" * 900
        + "]" * 900
        + "}",
        '{"kind": "full_duty", "effective_from": "2026-01-05", "restrictions": '
        + "[" * 25
        + "]" * 25
        + "}",
        "{not json",
        '{"kind": "full_duty", "effective_from": "2026-01-05", "explanation": "\\ud800"}',
        '{"kind": "full_duty", "effective_from": "2026-01-05", "explanation": "a\\u0000"}',
        '{"kind": "full_duty", "effective_from": "2026-01-05", "hours_per_day": 1e400}',
        '{"kind": "full_duty", "effective_from": "2026-01-05", "hours_per_day": NaN}',
    ],
    ids=[
        "deep-array",
        "deep-object",
        "deep-in-a-field",
        "deep-restrictions",
        "malformed",
        "lone-surrogate",
        "nul",
        "huge-number",
        "nan",
    ],
)
def test_deep_or_odd_json_is_refused_cleanly(cast, raw):
    before = counts()
    response = through_the_api(cast, raw)
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert counts() == before


def test_only_clinicians_on_the_care_team_record_work_statuses(cast):
    body = api_body(GOOD["restricted"])
    url = reverse("api:work-status-list", args=[cast.case.pk])
    got = {
        role: api_client(user).post(url, body, format="json").status_code
        for role, user in cast.roles().items()
    }
    assert got == {
        "clinician": 201,
        "other_clinician": 404,
        "case_manager": 403,
        "other_case_manager": 404,
        "adjuster": 403,
        "other_adjuster": 404,
        "admin": 403,
        "anonymous": 401,
    }
    assert WorkStatus.objects.count() == 1


def test_the_schema_documents_the_write_with_its_restrictions(cast):
    schema = api_client(cast.clinician).get(reverse("api:schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/cases/{case_id}/work-statuses/"]["post"]
    assert {"201", "401", "403", "404"} <= set(operation["responses"])
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(request["required"]) == {"kind", "effective_from"}
    restrictions = request["properties"]["restrictions"]
    assert restrictions["type"] == "array"
    assert restrictions["maxItems"] == 30


# --- The admin: shown, never changed -----------------------------------------------------


def work_status(cast):
    status = WorkStatusFactory(case=cast.case, issued_by=cast.clinician)
    WorkRestrictionFactory(work_status=status)
    return status


def assessment(cast):
    record = AssessmentFactory(case=cast.case, clinician=cast.clinician)
    OutcomeScoreFactory(assessment=record)
    return record


CLINICAL = {
    "work-status": work_status,
    "treatment": lambda cast: TreatmentFactory(case=cast.case),
    "assessment": assessment,
    "diagnostic": lambda cast: DiagnosticFactory(case=cast.case),
    "consultation": lambda cast: ConsultationFactory(case=cast.case),
}


def admin_url(obj, view: str, *args) -> str:
    name = f"admin:cases_{obj._meta.model_name}_{view}"
    return reverse(name, args=[obj.pk, *args] if view != "add" else args)


def as_row(obj) -> dict:
    return type(obj)._base_manager.filter(pk=obj.pk).values().get()


@pytest.mark.parametrize("make", CLINICAL.values(), ids=CLINICAL.keys())
def test_the_admin_shows_a_clinical_record_and_changes_nothing(cast, make):
    obj = make(cast)
    before = as_row(obj)
    client = client_for(cast.admin)
    page = client.get(admin_url(obj, "change"))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(admin_url(obj, "change"), {"_save": "Save"}).status_code == 403
    assert client.get(admin_url(obj, "add")).status_code == 403
    assert client.get(admin_url(obj, "delete")).status_code == 403
    assert client.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
    changelist = reverse(f"admin:cases_{obj._meta.model_name}_changelist")
    assert "delete_selected" not in client.get(changelist).content.decode()
    first = obj.history.order_by("history_id").first()
    revert = reverse(
        f"admin:cases_{obj._meta.model_name}_simple_history", args=[obj.pk, first.history_id]
    )
    assert client.get(revert).status_code == 200
    assert client.post(revert, {}).status_code == 403
    assert as_row(obj) == before


def test_an_admin_cannot_turn_a_work_status_into_full_duty_with_restrictions(cast):
    status = work_status(cast)
    url = admin_url(status, "change")
    data = {
        "case": cast.case.pk,
        "kind": "full_duty",
        "effective_from": str(status.effective_from),
        "expected_through": "",
        "issued_by": cast.clinician.pk,
        "restrictions-TOTAL_FORMS": "1",
        "restrictions-INITIAL_FORMS": "1",
        "_save": "Save",
    }
    assert client_for(cast.admin).post(url, data).status_code == 403
    status.refresh_from_db()
    assert status.kind == "restricted"
    assert status.restrictions.count() == 1


@pytest.mark.parametrize(
    "model,make",
    [
        (Instrument, lambda: Instrument.objects.get(abbreviation="ODI")),
        (Organisation, lambda: Organisation.objects.first()),
    ],
    ids=["instrument", "organisation"],
)
def test_reference_data_stays_editable_in_the_admin(cast, model, make):
    page = client_for(cast.admin).get(admin_url(make(), "change"))
    assert page.status_code == 200
    assert 'name="_save"' in page.content.decode()
