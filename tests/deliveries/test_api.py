"""Deliveries in the REST API: listed per case, recorded, and bad input refused with a
reason (400), scoped like the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deliveries.models import Delivery
from tests.support.api import api_client
from tests.support.deliveries import listed_certification
from tests.support.reports import determination

pytestmark = pytest.mark.django_db


def _url(case) -> str:
    return reverse("api:delivery-list", kwargs={"case_id": case.pk})


def _post(user, case, **data):
    body = {
        "party": "employee",
        "method": "mail",
        "address": "12 Elm St",
        "delivered_on": str(timezone.localdate()),
        **data,
    }
    return api_client(user).post(_url(case), body, format="json")


def test_case_manager_records_a_mailed_copy_and_the_adjuster_lists_it(cast):
    signed = listed_certification(cast.case, cast.clinician)
    created = _post(cast.case_manager, cast.case, determination=signed.pk)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["recipient"]["party"] == "employee"
    assert body["recipient"]["determination"] == signed.pk
    assert body["method"] == "mail"
    assert body["withdrawn_at"] is None
    listed = api_client(cast.adjuster).get(_url(cast.case))
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [body["id"]]
    assert api_client(cast.other_adjuster).get(_url(cast.case)).status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"delivered_on": "2000-01-01"}, "delivered_on", "before the document was issued"),
        ({"party": "employer"}, "party", "is not on the distribution list"),
        ({"method": "portal"}, "method", "is not a valid choice"),
        ({"address": ""}, "address", "postal address"),
    ],
)
def test_bad_input_is_refused_with_its_reason(cast, change, field, words):
    signed = listed_certification(cast.case, cast.clinician)
    response = _post(cast.case_manager, cast.case, determination=signed.pk, **change)
    assert response.status_code == 400
    assert words in " ".join(response.json()["error"]["fields"][field])
    assert not Delivery.objects.exists()


def test_future_day_is_refused(cast):
    signed = listed_certification(cast.case, cast.clinician)
    tomorrow = str(timezone.localdate() + timedelta(days=1))
    response = _post(cast.case_manager, cast.case, determination=signed.pk, delivered_on=tomorrow)
    assert response.status_code == 400
    assert "in the future" in str(response.json())


def test_a_draft_is_not_issued_and_an_unknown_certification_is_not_found(cast):
    draft = determination(cast.case, cast.clinician, status="draft", mmi_reached=None)
    response = _post(cast.case_manager, cast.case, determination=draft.pk)
    assert response.status_code == 400
    assert "is a draft: it is not issued" in str(response.json())
    missing = _post(cast.case_manager, cast.case, determination=999999)
    assert missing.status_code == 400
    assert "No such certification on this case" in str(missing.json())


def test_no_document_named_is_refused(cast):
    response = _post(cast.case_manager, cast.case)
    assert response.status_code == 400
    assert "Name the document" in str(response.json())
