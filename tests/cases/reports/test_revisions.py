"""Case.revision counts every change to what a case's documents print, whoever makes it
(cases/reports/revisions.py): a stored PDF of an older revision is never served as current."""

from decimal import Decimal

import pytest
from django.urls import reverse
from simple_history.models import registered_models

from cases import services
from cases.models import (
    Assessment,
    Case,
    Determination,
    DeterminationStep,
    ImpairmentItem,
    Instrument,
    Organisation,
    OutcomeScore,
    Patient,
    WorkStatus,
)
from cases.reports.revisions import CASES_OF, NOT_PRINTED
from tests.support.cast import client_for
from tests.support.factories import (
    AssessmentFactory,
    CaseFactory,
    ClinicianFactory,
    DiagnosticFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)
from tests.support.reports import determination


def revision(case: Case) -> int:
    return Case.objects.values_list("revision", flat=True).get(pk=case.pk)


def test_every_model_with_history_says_which_cases_print_it():
    tracked = {model for model in registered_models.values() if not model._meta.auto_created}

    assert tracked == set(CASES_OF) | NOT_PRINTED


def _score(case):
    assessment = AssessmentFactory(case=case)
    return lambda: OutcomeScoreFactory(assessment=Assessment.objects.get(pk=assessment.pk))


def _restriction(case):
    status = WorkStatusFactory(case=case)
    return lambda: WorkRestrictionFactory(work_status=WorkStatus.objects.get(pk=status.pk))


def _step(case):
    draft = determination(case, ClinicianFactory(), status=Determination.Status.DRAFT)
    return lambda: DeterminationStep.objects.create(
        determination=Determination.objects.get(pk=draft.pk),
        slug="legal",
        answers={},
        saved_by=draft.certifying_clinician,
    )


def _impairment_item(case):
    draft = determination(case, ClinicianFactory(), status=Determination.Status.DRAFT)
    return lambda: ImpairmentItem.objects.create(
        determination=Determination.objects.get(pk=draft.pk),
        position=0,
        region="Lumbar spine",
        level="whole_person",
        value=5,
        method="Table 15-3",
    )


def _deleted_assessment(case):
    assessment = AssessmentFactory(case=case)
    OutcomeScoreFactory(assessment=assessment)
    return lambda: services.assessment_delete(assessment=Assessment.objects.get(pk=assessment.pk))


def _care_team(case):
    clinician = ClinicianFactory()
    return lambda: case.care_team.add(clinician)


def _patient(case):
    return lambda: Patient.objects.filter(pk=case.patient_id).first().save()


CHANGES = {
    "patient": _patient,
    "treatment": lambda case: lambda: TreatmentFactory(case=case),
    "diagnostic": lambda case: lambda: DiagnosticFactory(case=case),
    "outcome score, through its assessment": _score,
    "work restriction, through its work status": _restriction,
    "determination step, through its determination": _step,
    "impairment item, through its determination": _impairment_item,
    "assessment deleted with its scores": _deleted_assessment,
    "care team": _care_team,
}


@pytest.mark.parametrize("what", sorted(CHANGES))
def test_a_change_to_a_record_the_documents_print_counts_for_its_case_only(cast, what):
    other = CaseFactory()
    make_change = CHANGES[what](cast.case)
    before, other_before = revision(cast.case), revision(other)

    make_change()

    assert revision(cast.case) > before
    assert revision(other) == other_before


def test_a_patient_change_counts_for_each_of_their_cases(cast):
    second = CaseFactory(patient=cast.case.patient)
    before = revision(cast.case), revision(second)

    patient = Patient.objects.get(pk=cast.case.patient_id)
    patient.address = "12 Elm St, Austin TX"
    patient.save()

    assert revision(cast.case) > before[0] and revision(second) > before[1]


def test_a_change_made_in_the_admin_counts_too(cast):
    patient = cast.case.patient
    before = revision(cast.case)
    admin = client_for(cast.admin)
    url = reverse("admin:cases_patient_change", args=[patient.pk])
    form = admin.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["address"] = "1 Main St"
    data["date_of_birth"] = patient.date_of_birth.isoformat()

    response = admin.post(url, data)

    assert response.status_code == 302, response.content
    assert revision(cast.case) > before


def test_a_stale_copy_of_the_case_saved_keeps_the_revision_counted_since(cast):
    stale = Case.objects.get(pk=cast.case.pk)
    TreatmentFactory(case=cast.case)
    counted = revision(cast.case)

    stale.injury_description = "Slipped on a wet floor."
    stale.save()

    assert revision(cast.case) == counted + 1


def test_renaming_an_organisation_counts_for_the_cases_naming_it(cast):
    elsewhere = CaseFactory()
    before, elsewhere_before = revision(cast.case), revision(elsewhere)

    insurer = Organisation.objects.get(pk=cast.case.insurer_id)
    insurer.phone = "512-555-0100"
    insurer.save()

    assert revision(cast.case) == before + 1
    assert revision(elsewhere) == elsewhere_before


def test_saving_an_organisation_unchanged_counts_nothing(cast):
    before = revision(cast.case)

    Organisation.objects.get(pk=cast.case.insurer_id).save()

    assert revision(cast.case) == before


def test_a_clinicians_new_licence_counts_for_their_cases_but_a_login_does_not(cast):
    before = revision(cast.case)
    client_for(cast.clinician)  # logs in: last_login is saved
    assert revision(cast.case) == before

    cast.clinician.licence_number = "MD-99999"
    cast.clinician.save()

    assert revision(cast.case) == before + 1


def test_a_changed_outcome_measure_counts_for_the_cases_scored_on_it(cast):
    OutcomeScoreFactory(assessment=AssessmentFactory(case=cast.case))
    before = revision(cast.case)

    odi = Instrument.objects.get(abbreviation="ODI")
    odi.mcid = Decimal("12")
    odi.save()

    assert revision(cast.case) == before + 1


def test_a_score_saved_with_the_same_value_still_counts(cast):
    # Counting a save that changed nothing renders once more; missing a change would serve
    # an old document, so every history record counts.
    score = OutcomeScoreFactory(assessment=AssessmentFactory(case=cast.case))
    before = revision(cast.case)

    OutcomeScore.objects.get(pk=score.pk).save()

    assert revision(cast.case) == before + 1
