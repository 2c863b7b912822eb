"""Each case's plateau verdict, kept on the case, agrees with the rule run on its records at
every step: scores recorded, corrected and removed, work statuses, the measures tracked, an
instrument's MCID changed in the admin, cases a migration left unjudged."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import (
    Assessment,
    Case,
    CaseStatus,
    Instrument,
    Plateau,
    WorkRestriction,
    WorkStatus,
)
from cases.selectors.outcomes import judge_cases
from cases.services.plateau import plateau_of
from tests.support.cast import client_for
from tests.support.factories import AdministratorFactory, CaseFactory, ClinicianFactory

pytestmark = pytest.mark.django_db


def stored(case: Case) -> str | None:
    return Case.objects.values_list("plateau", flat=True).get(pk=case.pk)


def judged(case: Case) -> Plateau:
    [(_, verdict)] = judge_cases(Case.objects.filter(pk=case.pk))
    return plateau_of(verdict)


def assert_kept(case: Case, expected: Plateau) -> None:
    assert judged(case) == expected
    assert stored(case) == expected


@pytest.fixture
def odi(db) -> Instrument:
    return Instrument.objects.get(abbreviation="ODI")


def record(case: Case, clinician, weeks_ago: int, value: str, odi: Instrument) -> Assessment:
    assessment = Assessment(
        case=case,
        clinician=clinician,
        date=timezone.localdate(case.opened_at) - timedelta(weeks=weeks_ago),
        pain_score=5,
    )
    return services.assessment_save(assessment=assessment, scores={odi: (Decimal(value), None)})


def tracked_case(odi: Instrument, values: list[str]) -> Case:
    """A case in treatment tracking ODI, scored ``values`` 12, 6 and 0 weeks ago."""
    clinician = ClinicianFactory()
    case = CaseFactory(status=CaseStatus.IN_TREATMENT, care_team=[clinician])
    services.case_update(case=case, tracked=[odi])
    for weeks_ago, value in zip([12, 6, 0], values, strict=True):
        record(case, clinician, weeks_ago, value, odi)
    return case


def test_the_verdict_follows_every_change_to_what_it_is_judged_on(odi):
    clinician = ClinicianFactory()
    case = CaseFactory(status=CaseStatus.IN_TREATMENT, care_team=[clinician])
    services.case_update(case=case, tracked=[odi])
    assert_kept(case, Plateau.NONE)

    record(case, clinician, 12, "50", odi)
    record(case, clinician, 6, "44", odi)
    latest = record(case, clinician, 0, "42", odi)
    assert_kept(case, Plateau.CANDIDATE)

    # Corrected to 12 points worse than six weeks before: at least the MCID of 10.
    services.assessment_save(assessment=latest, scores={odi: (Decimal("56"), None)})
    assert_kept(case, Plateau.DETERIORATING)

    services.assessment_delete(assessment=latest)
    assert_kept(case, Plateau.CANDIDATE)  # 50 → 44 over six weeks

    # Lifting limited to 20 lb from before the window, to 10 lb inside it: the restrictions
    # changed, so not a candidate any more.
    start = timezone.localdate(case.opened_at)
    for weeks_ago, pounds in [(14, 20), (8, 10)]:
        services.work_status_save(
            work_status=WorkStatus(
                case=case,
                issued_by=clinician,
                kind=WorkStatus.Kind.RESTRICTED,
                effective_from=start - timedelta(weeks=weeks_ago),
                expected_through=start + timedelta(weeks=3),
            ),
            restrictions=[
                WorkRestriction(
                    category=WorkRestriction.Category.LIFT_CARRY,
                    activity="lift",
                    max_pounds=pounds,
                    frequency=WorkRestriction.Frequency.OCCASIONAL,
                )
            ],
        )
    assert_kept(case, Plateau.NONE)

    services.case_update(case=case, tracked=[])
    assert_kept(case, Plateau.NONE)


def test_the_admin_keeps_the_verdict_when_it_changes_the_measures_tracked(odi):
    case = tracked_case(odi, ["50", "44", "42"])
    assert_kept(case, Plateau.CANDIDATE)

    admin = client_for(AdministratorFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:cases_case_change", args=[case.pk])
    form = admin.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"care_team", "tracked_instruments"}
    }
    data |= {
        "patient": case.patient_id,
        "case_manager": case.case_manager_id,
        "care_team": list(case.care_team.values_list("pk", flat=True)),
        "disability_periods-TOTAL_FORMS": 0,
        "disability_periods-INITIAL_FORMS": 0,
    }
    response = admin.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert_kept(case, Plateau.NONE)


def test_a_new_mcid_judges_the_cases_tracking_the_instrument_again(
    odi, django_capture_on_commit_callbacks
):
    case = tracked_case(odi, ["50", "40", "49"])
    assert_kept(case, Plateau.CANDIDATE)  # 9 points worse: under the MCID of 10

    admin = client_for(AdministratorFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:cases_instrument_change", args=[odi.pk])
    data = {
        name: value
        for name, value in admin.get(change).context["adminform"].form.initial.items()
        if value is not None
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(change, {**data, "mcid": "8"})
    assert response.status_code == 302
    assert_kept(case, Plateau.DETERIORATING)


def test_cases_left_unjudged_by_a_migration_are_judged_once_migrations_have_run(odi):
    case = tracked_case(odi, ["50", "44", "42"])
    Case.objects.filter(pk=case.pk).update(plateau=None)
    call_command("migrate", verbosity=0)
    assert stored(case) == Plateau.CANDIDATE


def test_refresh_derived_repairs_a_wrong_verdict(odi):
    case = CaseFactory(status=CaseStatus.IN_TREATMENT)
    Case.objects.filter(pk=case.pk).update(plateau=Plateau.DETERIORATING)
    call_command("refresh_derived", stdout=open("/dev/null", "w"))
    assert stored(case) == Plateau.NONE
