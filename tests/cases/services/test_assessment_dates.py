"""The case's last assessment date, which the "no assessment in 30 days" worklists read from
an indexed column (docs/architecture.md §4), is kept by the services that write
assessments: recording, correcting and removing one, from the page and the API alike. The
assessment model writes only its own row."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Assessment, Case
from tests.support.api import api_client
from tests.support.cast import client_for

TODAY = timezone.localdate


def record(case, clinician, days_ago: int) -> Assessment:
    return services.assessment_save(
        assessment=Assessment(case=case, clinician=clinician, date=TODAY() - timedelta(days_ago)),
        scores={},
    )


def last_assessed(case):
    return Case.objects.get(pk=case.pk).last_assessed_on


def test_the_last_assessment_date_follows_recording_correcting_and_removing(cast):
    case = cast.case
    assert last_assessed(case) is None
    record(case, cast.clinician, days_ago=40)
    assert last_assessed(case) == TODAY() - timedelta(days=40)
    newer = record(case, cast.clinician, days_ago=5)
    assert last_assessed(case) == TODAY() - timedelta(days=5)

    newer.date = TODAY() - timedelta(days=35)
    services.assessment_save(assessment=newer, scores={})
    assert last_assessed(case) == TODAY() - timedelta(days=35)
    # An earlier assessment recorded late does not move the date back.
    record(case, cast.clinician, days_ago=50)
    assert last_assessed(case) == TODAY() - timedelta(days=35)

    services.assessment_delete(assessment=newer)
    assert last_assessed(case) == TODAY() - timedelta(days=40)
    for assessment in list(case.assessments.all()):
        services.assessment_delete(assessment=assessment)
    assert last_assessed(case) is None


def test_a_case_saved_from_an_older_copy_keeps_the_latest_date(cast):
    stale_copy = Case.objects.get(pk=cast.case.pk)
    record(cast.case, cast.clinician, days_ago=3)
    stale_copy.next_review_date = TODAY() + timedelta(days=10)
    stale_copy.save()
    assert last_assessed(cast.case) == TODAY() - timedelta(days=3)


def test_an_assessment_recorded_on_the_page_dates_the_case(cast):
    when = TODAY() - timedelta(days=2)
    response = client_for(cast.clinician).post(
        reverse("assessment-add", args=[cast.case.pk]), {"date": str(when)}
    )
    assert response.status_code == 302
    assert last_assessed(cast.case) == when


def test_an_assessment_corrected_on_the_page_dates_the_case(cast):
    assessment = record(cast.case, cast.clinician, days_ago=20)
    when = TODAY() - timedelta(days=1)
    response = client_for(cast.clinician).post(
        reverse("assessment-edit", args=[cast.case.pk, assessment.pk]), {"date": str(when)}
    )
    assert response.status_code == 302
    assert last_assessed(cast.case) == when


def test_an_assessment_recorded_through_the_api_dates_the_case(cast):
    when = TODAY() - timedelta(days=4)
    response = api_client(cast.clinician).post(
        reverse("api:assessment-list", args=[cast.case.pk]),
        {"date": when.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert last_assessed(cast.case) == when


def test_the_assessment_model_writes_only_its_own_row(cast):
    Assessment.objects.create(case=cast.case, clinician=cast.clinician, date=TODAY())
    assert last_assessed(cast.case) is None
