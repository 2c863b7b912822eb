"""``response_submit``: answers stored, scored into an assessment the chart and the plateau
rule read, incomplete below the minimum, refused outside the choices, and the PHQ-9 item 9
safety alert (docs/domain.md §12)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import Assessment, Instrument, OutcomeScore
from notifications.models import Notification
from questionnaires.models import Answer, InstrumentDefinition, Response
from questionnaires.services import AnswerRefused, response_submit
from tests.support.factories import ClinicianFactory

pytestmark = pytest.mark.usefixtures("module_cast")


def definition(abbreviation: str) -> InstrumentDefinition:
    return InstrumentDefinition.objects.get(instrument__abbreviation=abbreviation)


def submit(cast, abbreviation, answers, **extra):
    return response_submit(
        case=cast.case,
        definition=definition(abbreviation),
        answers=answers,
        source=extra.pop("source", Response.Source.PATIENT),
        date=timezone.localdate(),
        clinician=cast.clinician,
        **extra,
    )


def phq9(*values):
    return {str(index): value for index, value in enumerate(values, 1)}


def test_the_shipped_instruments_are_there_after_migrate_with_their_spanish(db):
    shipped = InstrumentDefinition.objects.filter(licence="free")
    assert sorted(shipped.values_list("instrument__abbreviation", flat=True)) == [
        "GAD-7",
        "NPRS",
        "PHQ-9",
        "PSFS",
    ]
    item = definition("PHQ-9").items.get(key="9")
    assert item.alert_above == 0
    assert item.text_for("es").startswith("Pensamientos de que estaría mejor muerto(a)")
    assert [c.label_for("es") for c in item.choices.all()] == [
        "Ningún día",
        "Varios días",
        "Más de la mitad de los días",
        "Casi todos los días",
    ]
    gad7 = Instrument.objects.get(abbreviation="GAD-7")
    assert (gad7.maximum, gad7.mcid, gad7.higher_is_better) == (Decimal(21), Decimal(4), False)


def test_a_complete_phq9_is_scored_into_a_new_assessment(cast):
    cast.case.tracked_instruments.add(Instrument.objects.get(abbreviation="PHQ-9"))
    response = submit(cast, "PHQ-9", phq9(1, 1, 2, 0, 1, 3, 0, 1, 0))
    response.refresh_from_db()
    assert response.is_complete and response.score == Decimal(9)
    assert not response.safety_alert
    assessment = response.assessment
    assert assessment.case == cast.case and assessment.clinician == cast.clinician
    score = OutcomeScore.objects.get(assessment=assessment)
    assert (score.instrument.abbreviation, score.value) == ("PHQ-9", Decimal(9))
    assert list(response.answers.values_list("item__key", "value")) == [
        (str(i), Decimal(v)) for i, v in enumerate((1, 1, 2, 0, 1, 3, 0, 1, 0), 1)
    ]
    cast.case.refresh_from_db()
    assert cast.case.last_assessed_on == timezone.localdate()


def test_a_set_answered_together_is_one_assessment_and_the_nprs_is_pain_now(cast):
    cast.case.tracked_instruments.add(Instrument.objects.get(abbreviation="NPRS"))
    first = submit(cast, "GAD-7", phq9(0, 1, 0, 1, 0, 1, 0))
    second = submit(cast, "NPRS", {"pain_now": "6"}, assessment=first.assessment)
    assert second.assessment == first.assessment
    assessment = Assessment.objects.get(pk=first.assessment.pk)
    assert assessment.pain_score == 6
    assert sorted(assessment.scores.values_list("instrument__abbreviation", "value")) == [
        ("GAD-7", Decimal(3)),
        ("NPRS", Decimal(6)),
    ]


def test_below_the_minimum_the_response_is_kept_incomplete_and_no_assessment_is_made(cast):
    response = submit(
        cast,
        "PSFS",
        {"activity_1": 4, "activity_2": 6},
        named={"activity_1": "Lifting boxes", "activity_2": "Driving"},
    )
    assert not response.is_complete and response.score is None
    assert response.assessment is None
    assert response.answers.count() == 2
    assert not Assessment.objects.filter(case=cast.case).exists()


def test_psfs_keeps_each_activitys_name_and_scores_the_mean(cast):
    named = {"activity_1": "Lifting boxes", "activity_2": "Driving", "activity_3": "Sleeping"}
    response = submit(
        cast, "PSFS", {"activity_1": 5, "activity_2": 6, "activity_3": 6}, named=named
    )
    assert response.score == Decimal("5.67")
    assert sorted(response.answers.values_list("named", flat=True)) == [
        "Driving",
        "Lifting boxes",
        "Sleeping",
    ]


def test_a_psfs_activity_rated_without_its_name_is_refused(cast):
    with pytest.raises(AnswerRefused) as refused:
        submit(
            cast,
            "PSFS",
            {"activity_1": 5, "activity_2": 6, "activity_3": 6},
            named={"activity_1": "Driving", "activity_2": "  "},
        )
    assert refused.value.errors == {
        "activity_2": "name what this rates",
        "activity_3": "name what this rates",
    }
    assert not Response.objects.exists()


def test_an_answer_outside_the_choices_saves_nothing(cast):
    with pytest.raises(AnswerRefused) as refused:
        submit(cast, "PHQ-9", phq9(1, 1, 2, 0, 1, 3, 0, 1, "7"))
    assert refused.value.errors == {"9": "7 is not one of the choices (0, 1, 2, 3)"}
    with pytest.raises(AnswerRefused) as refused:
        submit(cast, "NPRS", {"pain_now": "a lot"})
    assert refused.value.errors == {"pain_now": "'a lot' is not a number"}
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not Assessment.objects.filter(case=cast.case).exists()


def test_phq9_item_9_above_0_alerts_the_cases_clinicians_in_the_app_and_by_email(
    cast, django_capture_on_commit_callbacks
):
    second = ClinicianFactory(email="second@clinic.example")
    left_team = ClinicianFactory(email="left@clinic.example", is_active=False)
    cast.case.care_team.add(second, left_team)
    with django_capture_on_commit_callbacks(execute=True):
        # Incomplete (item 4 missing), yet the alert goes at once.
        response = submit(cast, "PHQ-9", {"1": 0, "2": 1, "3": 0, "9": 1})
    assert response.safety_alert and not response.is_complete
    told = Notification.objects.filter(kind="safety_alert")
    assert sorted(told.values_list("recipient__username", flat=True)) == sorted(
        [cast.clinician.username, second.username]
    )
    assert "PHQ-9 item 9" in told.first().text
    emailed = sorted(message.to[0] for message in mail.outbox)
    assert emailed == sorted([cast.clinician.email, second.email])
    for message in mail.outbox:
        assert cast.case.claim_number in message.subject
        body = f"{message.subject}\n{message.body}"
        assert "PHQ-9" not in body and cast.case.patient.last_name not in body


def test_the_alert_reaches_nobody_who_may_not_see_the_case(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast, "PHQ-9", phq9(0, 0, 0, 0, 0, 0, 0, 0, 2))
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {cast.clinician.pk}
    for outsider in (cast.other_clinician, cast.other_adjuster, cast.other_case_manager):
        assert outsider.email not in [message.to[0] for message in mail.outbox]


def test_item_9_at_0_alerts_nobody_and_a_clinician_entering_it_is_not_told_of_it(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(cast, "PHQ-9", phq9(3, 3, 3, 3, 3, 3, 3, 3, 0))
        submit(
            cast,
            "PHQ-9",
            phq9(0, 0, 0, 0, 0, 0, 0, 0, 1),
            source=Response.Source.CLINICIAN,
            entered_by=cast.clinician,
        )
    assert not Notification.objects.exists()
    assert mail.outbox == []
