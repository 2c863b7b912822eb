"""A clinical record's days: none before 1900, none after today for a day something
happened on, refused alike by the services, the pages and the API (DatedRecord.clean)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Assessment, Consultation, Diagnostic, Treatment, WorkStatus
from tests.support.api import api_client
from tests.support.cast import client_for

pytestmark = pytest.mark.usefixtures("module_cast")

TOMORROW = timezone.localdate() + timedelta(days=1)
LONG_AGO = date(1899, 12, 31)


def treatment(cast, **dates) -> Treatment:
    return Treatment(
        case=cast.case,
        kind=Treatment.Kind.PHYSICAL_THERAPY,
        description="Core strengthening.",
        start_date=dates.get("start_date", timezone.localdate()),
        end_date=dates.get("end_date"),
    )


def refused(save, record, field: str) -> list[str]:
    with pytest.raises(ValidationError) as error:
        save(record)
    return error.value.message_dict[field]


@pytest.mark.parametrize(
    ("make", "save", "field", "label"),
    [
        (treatment, lambda r: services.treatment_save(treatment=r), "start_date", "The start date"),
        (
            lambda cast, **d: Diagnostic(
                case=cast.case, kind="mri", date=d["date"], findings="Disc bulge."
            ),
            lambda r: services.record_save(record=r),
            "date",
            "The test date",
        ),
        (
            lambda cast, **d: Consultation(
                case=cast.case, kind="specialist", date=d["date"], consultant="Dr Ward"
            ),
            lambda r: services.record_save(record=r),
            "date",
            "The consultation date",
        ),
        (
            lambda cast, **d: Assessment(
                case=cast.case, clinician=cast.clinician, date=d["date"], pain_score=4
            ),
            lambda r: services.assessment_save(assessment=r, scores={}),
            "date",
            "The assessment date",
        ),
    ],
)
def test_a_day_something_happened_on_is_neither_before_1900_nor_after_today(
    cast, make, save, field, label
):
    for day, message in [
        (TOMORROW, f"{label} cannot be in the future."),
        (LONG_AGO, f"{label} must be from 1900 on."),
    ]:
        record = make(cast, **{field: day})
        assert refused(save, record, field) == [message]
    assert not type(record).objects.filter(case=cast.case, **{field: TOMORROW}).exists()


def test_days_that_look_ahead_may_be_after_today_but_not_before_1900(cast):
    services.treatment_save(treatment=treatment(cast, end_date=TOMORROW))
    long_ended = treatment(cast, end_date=LONG_AGO)
    assert refused(lambda r: services.treatment_save(treatment=r), long_ended, "end_date") == [
        "The end date must be from 1900 on."
    ]
    status = WorkStatus(
        case=cast.case,
        issued_by=cast.clinician,
        kind=WorkStatus.Kind.FULL_DUTY,
        effective_from=LONG_AGO,
    )
    assert refused(
        lambda r: services.work_status_save(work_status=r), status, "effective_from"
    ) == ["The “as of” date must be from 1900 on."]


def test_the_page_names_the_day_in_the_same_words(cast):
    response = client_for(cast.clinician).post(
        reverse("record-add", kwargs={"case_id": cast.case.pk, "kind": "diagnostics"}),
        {"kind": "mri", "date": TOMORROW.isoformat(), "findings": "Disc bulge."},
    )
    assert response.status_code == 200
    assert "The test date cannot be in the future." in response.content.decode()
    assert not Diagnostic.objects.filter(case=cast.case).exists()


def test_the_api_names_the_day_in_the_same_words(cast):
    response = api_client(cast.clinician).post(
        reverse("api:treatment-list", args=[cast.case.pk]),
        {
            "kind": "pt",
            "description": "Core strengthening.",
            "start_date": LONG_AGO.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["start_date"] == [
        "The start date must be from 1900 on."
    ]
