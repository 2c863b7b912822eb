"""Every determination page makes the same number of queries whatever the case holds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Determination, Instrument
from tests.support.cast import client_for
from tests.support.determinations import complete_draft, signed_determination
from tests.support.factories import (
    AssessmentFactory,
    CaseFactory,
    ClinicianFactory,
    ConsultationFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)
from tests.support.guards import guards_lifted


def case_with_records(size: int):
    """A case with ``size`` of each record its determination pages show, periods of
    disability included (statutory MMI is worked out from them)."""
    clinician = ClinicianFactory()
    injury = timezone.localdate() - timedelta(days=200)
    off_work = [
        (injury + timedelta(days=10 * n + 1), injury + timedelta(days=10 * n + 5))
        for n in range(size - 1)
    ] + [(injury + timedelta(days=10 * size + 1), None)]
    case = CaseFactory(care_team=[clinician], date_of_injury=injury, off_work=off_work)
    instruments = list(Instrument.objects.filter(abbreviation__in=["ODI", "NPRS"]))
    case.tracked_instruments.set(instruments)
    for n in range(size):
        TreatmentFactory(case=case, description=f"Treatment {n}")
        DiagnosticFactory(case=case, date=case.date_of_injury + timedelta(days=n + 1))
        ConsultationFactory(case=case, consultant=f"Dr. {n}")
        assessment = AssessmentFactory(
            case=case, clinician=clinician, date=case.date_of_injury + timedelta(weeks=n + 1)
        )
        for instrument in instruments:
            OutcomeScoreFactory(
                assessment=assessment, instrument=instrument, value=Decimal(max(1, 9 - n))
            )
        status = WorkStatusFactory(
            case=case, issued_by=clinician, effective_from=case.date_of_injury + timedelta(n)
        )
        WorkRestrictionFactory(work_status=status)
    return case, clinician


def draft_of(case, clinician):
    draft = services.determination_start(case=case, started_by=clinician)
    return complete_draft(draft, clinician)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


PAGES = {
    **{
        f"step-{slug}": lambda d, slug=slug: reverse("determination-step", args=[d.pk, slug])
        for slug in ("clinical", "therapy", "diagnostics", "consultations", "legal", "outcome")
    },
    "review": lambda d: reverse("determination-review", args=[d.pk]),
    "detail-draft": lambda d: d.get_absolute_url(),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_draft_pages_make_a_fixed_number_of_queries(db, django_assert_num_queries, page):
    small_case, small_clinician = case_with_records(1)
    large_case, large_clinician = case_with_records(6)
    small = count(client_for(small_clinician), PAGES[page](draft_of(small_case, small_clinician)))

    large_draft = draft_of(large_case, large_clinician)
    client = client_for(large_clinician)
    with django_assert_num_queries(small):
        response = client.get(PAGES[page](large_draft))
    assert response.status_code == 200


def test_the_signed_page_makes_a_fixed_number_of_queries(
    db, django_assert_num_queries, django_capture_on_commit_callbacks
):
    small_case, small_clinician = case_with_records(1)
    large_case, large_clinician = case_with_records(6)
    # Committed, so their PDFs are issued as after any signature.
    with django_capture_on_commit_callbacks(execute=True):
        small = signed_determination(small_case, small_clinician)
    small_count = count(client_for(small_clinician), small.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        large = signed_determination(large_case, large_clinician)
    today = timezone.localdate()
    with guards_lifted():
        Determination._base_manager.filter(pk=large.pk).update(
            signed_at=timezone.now() - timedelta(days=120)
        )
    # Two received in time and one late (after the 90 days), each shown with its deadline.
    for notice in (today - timedelta(days=100), today - timedelta(days=30), today):
        services.dispute_record(
            determination=large,
            recorded_by=large_case.case_manager,
            disputed_by="carrier",
            disputed_issue="both",
            notice_date=notice,
            received_on=today,
            review_requested="ime",
        )
    client = client_for(large_clinician)
    with django_assert_num_queries(small_count):
        response = client.get(large.get_absolute_url())
    assert response.status_code == 200
