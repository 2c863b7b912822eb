"""The summaries (status counts, Time to MMI) kept at each change agree with the cases at
every step of a case's life, and the pages read them in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.models import Case, CaseStatus, Dispute, Organisation
from cases.selectors.statistics import time_to_mmi, time_to_mmi_of
from cases.selectors.worklists import status_counts
from cases.services.summaries import summaries_rebuild
from tests.support.cast import client_for
from tests.support.determinations import complete_draft, signed_determination, today
from tests.support.factories import (
    AdjusterFactory,
    AdministratorFactory,
    CaseFactory,
    ClinicianFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def _live_counts(cases) -> list[tuple[str, str, int]]:
    counts = {status: cases.filter(status=status).count() for status in CaseStatus.values}
    return [(value, label, counts[value]) for value, label in CaseStatus.choices]


def assert_summaries_match_the_cases() -> None:
    admin = AdministratorFactory()
    assert time_to_mmi(admin) == time_to_mmi_of(Case.objects.all())
    assert status_counts(admin) == _live_counts(Case.objects.all())
    for insurer in Organisation.objects.filter(insurer_cases__isnull=False).distinct():
        adjuster = AdjusterFactory(organisation=insurer)
        theirs = Case.objects.filter(insurer=insurer)
        assert time_to_mmi(adjuster) == time_to_mmi_of(theirs)
        assert status_counts(adjuster) == _live_counts(theirs)


def test_summaries_follow_a_case_through_its_life():
    clinician = ClinicianFactory()
    north, south = OrganisationFactory(name="North Mutual"), OrganisationFactory(name="South")
    CaseFactory(insurer=north, status=CaseStatus.AT_MMI, mmi_date=today(), body_part="knee")
    case = CaseFactory(insurer=north, care_team=[clinician], status=CaseStatus.IN_TREATMENT)
    assert_summaries_match_the_cases()

    first = signed_determination(case, clinician)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.AT_MMI
    assert_summaries_match_the_cases()

    # A new insurer, body part, diagnosis and injury date: the case leaves its groups.
    case.refresh_from_db()
    services.case_update(
        case=case,
        insurer=south,
        body_part="neck",
        diagnosis_codes="S13.4XXA",
        date_of_injury=case.date_of_injury - timedelta(days=3),
    )
    assert_summaries_match_the_cases()

    dispute = services.dispute_record(
        determination=first,
        recorded_by=AdministratorFactory(),
        disputed_by=Dispute.Party.CARRIER,
        disputed_issue="both",
        notice_date=today(),
        received_on=today(),
        review_requested=Dispute.Review.DESIGNATED_DOCTOR,
    )
    assert_summaries_match_the_cases()
    services.dispute_resolve(
        dispute=dispute, outcome=Dispute.Outcome.UPHELD, outcome_date=today(), notes=""
    )
    assert_summaries_match_the_cases()

    amendment = services.determination_amend(determination=first, amended_by=clinician)
    complete_draft(
        amendment,
        clinician,
        mmi_reached="no",
        impairment_rating="",
        expected_mmi_date=(today() + timedelta(days=60)).isoformat(),
        plan="Four more weeks of therapy.",
    )
    second = services.determination_sign(determination=amendment, signed_by=clinician)
    assert Case.objects.get(pk=case.pk).mmi_date is None
    assert_summaries_match_the_cases()

    again = services.determination_amend(determination=second, amended_by=clinician)
    third = services.determination_sign(
        determination=complete_draft(again, clinician), signed_by=clinician
    )
    assert_summaries_match_the_cases()
    services.determination_rescind(
        determination=third,
        rescinded_by=clinician,
        category="substantial_change",
        reason="New tear.",
    )
    assert_summaries_match_the_cases()


def test_a_rebuild_changes_nothing_the_services_kept():
    clinician = ClinicianFactory()
    for body_part in ("knee", "knee", "shoulder"):
        case = CaseFactory(care_team=[clinician], body_part=body_part)
        signed_determination(case, clinician)
    admin = AdministratorFactory()
    kept = time_to_mmi(admin), status_counts(admin)
    summaries_rebuild()
    assert (time_to_mmi(admin), status_counts(admin)) == kept


def test_time_to_mmi_for_an_administrator_reads_the_summary_in_one_query():
    clinician = ClinicianFactory()
    for n in range(4):
        case = CaseFactory(care_team=[clinician], body_part=["knee", "neck"][n % 2])
        signed_determination(case, clinician)
    client = client_for(AdministratorFactory())
    client.get(reverse("time-to-mmi"))  # the session and user, cached from here
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("time-to-mmi"))
    assert response.status_code == 200
    assert response.context["statistics"].cases == 4
    spreads = [q for q in queries if "timetommispread" in q["sql"]]
    assert len(spreads) == 1
    assert not [q for q in queries if 'FROM "cases_case"' in q["sql"]]


def test_a_case_changed_or_deleted_in_the_admin_leaves_the_summaries_right():
    north, south = OrganisationFactory(name="North Mutual"), OrganisationFactory(name="South")
    case = CaseFactory(insurer=north, status=CaseStatus.AT_MMI, mmi_date=today())
    admin = AdministratorFactory(is_staff=True, is_superuser=True)
    client = client_for(admin)
    page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    form = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    form.update(insurer=south.pk, employer=case.employer_id, care_team=[], tracked_instruments=[])
    response = client.post(reverse("admin:cases_case_change", args=[case.pk]), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Case.objects.get(pk=case.pk).insurer == south
    assert_summaries_match_the_cases()
    response = client.post(reverse("admin:cases_case_delete", args=[case.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()
    assert_summaries_match_the_cases()
