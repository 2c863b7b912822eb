"""The PSFS from the patient's link (Stratford 1995): a follow-up rates again the activities
named before, shown as typed; the first time the patient names up to five activities and
rates each; the response is scored by the instrument's rule and reviewed like the others."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Language
from patient_links import questions, services
from patient_links.models import LinkActivity, LinkAnswer, QuestionnaireLink
from questionnaires.models import InstrumentDefinition, Response
from questionnaires.services import response_submit
from tests.support.cast import client_for
from tests.support.questionnaire_links import choice_values, send_link, shipped

LIFTING, STAIRS, DRIVING, SLEEPING, KNEELING = (
    "Lifting my son into the car",
    "Climbing the stairs at home",
    "Driving to work",
    "Sleeping through the night",
    "Kneeling to garden",
)


@pytest.fixture
def patient(cast):
    patient = cast.case.patient
    patient.first_name = "Maria"
    patient.email = "maria@example.invalid"
    patient.save()
    return patient


def _named_earlier(cast, *names: str, day: datetime.date | None = None) -> Response:
    """A PSFS the clinician entered item by item, each activity rated 3."""
    keys = [f"activity_{n}" for n in range(1, len(names) + 1)]
    return response_submit(
        case=cast.case,
        definition=InstrumentDefinition.objects.get(instrument__abbreviation="PSFS"),
        answers=dict.fromkeys(keys, 3),
        named=dict(zip(keys, names, strict=True)),
        source=Response.Source.CLINICIAN,
        date=day or timezone.localdate(),
        clinician=cast.clinician,
        entered_by=cast.clinician,
    )


def _rate(client: Client, token: str, number: int, value: int):
    return client.post(f"/q/{token}/{number}/", {"answer": str(value), "action": "answer"})


def _name(client: Client, token: str, number: int, name: str, action: str = "answer"):
    return client.post(f"/q/{token}/{number}/activity/", {"name": name, "action": action})


def _sent(client: Client, token: str) -> Response:
    assert client.post(f"/q/{token}/send/").status_code == 200
    return QuestionnaireLink.objects.get().responses.get()


# --- sending -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["clinician", "case_manager"])
def test_the_send_form_offers_the_psfs_and_sends_it(cast, patient, who):
    client = client_for(getattr(cast, who))
    new = reverse("patient_links:link-new", args=[cast.case.pk])
    assert "PSFS: Patient-Specific Functional Scale (PSFS)" in client.get(new).content.decode()
    psfs = str(shipped("PSFS")[0].pk)
    response = client.post(new, {"instruments": [psfs], "channel": "email"})
    assert response.status_code == 302
    assert list(QuestionnaireLink.objects.get().instruments.all()) == shipped("PSFS")


def test_a_plan_sends_the_psfs_like_the_other_questionnaires(cast, patient):
    client = client_for(cast.case_manager)
    plan = reverse("patient_links:plan-new", args=[cast.case.pk])
    assert "PSFS: Patient-Specific Functional Scale (PSFS)" in client.get(plan).content.decode()
    response = client.post(
        plan,
        {
            "instruments": [str(i.pk) for i in shipped("NPRS", "PSFS")],
            "every_weeks": "2",
            "starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302


# --- a follow-up: the activities named before -------------------------------------------


def test_a_follow_up_asks_the_activities_named_before_and_stores_their_mean(cast, patient):
    _named_earlier(cast, LIFTING, STAIRS, DRIVING, day=datetime.date(2026, 11, 2))
    sent = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    start = client.get(f"/q/{sent.token}/").content.decode()
    assert "There are 3 questions, one on each screen." in start
    for number, name in enumerate((LIFTING, STAIRS, DRIVING), start=1):
        page = client.get(f"/q/{sent.token}/{number}/").content.decode()
        assert f"Question {number} of 3" in page
        assert name in page
        assert "On 2 Nov 2026 you told us this activity was hard for you to do" in page
        assert choice_values(page) == [str(n) for n in range(11)]
        assert "0 – Unable to perform the activity" in page
        # A follow-up's activity is rated as it was named, never renamed.
        assert "Change the activity" not in page
    _rate(client, sent.token, 1, 4)
    _rate(client, sent.token, 2, 5)
    assert _rate(client, sent.token, 3, 7)["Location"] == f"/q/{sent.token}/send/"
    response = _sent(client, sent.token)
    assert response.source == Response.Source.PATIENT
    assert response.is_complete and response.score == Decimal("5.33")
    assert list(response.answers.values_list("named", "value")) == [
        (LIFTING, 4),
        (STAIRS, 5),
        (DRIVING, 7),
    ]
    home = client_for(cast.clinician).get(reverse("home")).content.decode()
    assert "Patient questionnaires to review" in home


def test_a_follow_up_asks_the_latest_scored_responses_activities(cast, patient):
    _named_earlier(cast, LIFTING, STAIRS, DRIVING, day=datetime.date(2026, 10, 1))
    _named_earlier(cast, SLEEPING, KNEELING, STAIRS, DRIVING, day=datetime.date(2026, 11, 2))
    # Two activities are no valid PSFS: the next link does not rate those two only.
    _named_earlier(cast, "Typing", "Reading", day=datetime.date(2026, 11, 20))
    sent = send_link(cast.case, cast.clinician, "PSFS")
    assert [a.name for a in LinkActivity.objects.filter(link=sent.link)] == [
        SLEEPING,
        KNEELING,
        STAIRS,
        DRIVING,
    ]
    assert "Sleeping through the night" in Client().get(f"/q/{sent.token}/1/").content.decode()


def test_a_follow_ups_activity_cannot_be_renamed(cast, patient):
    _named_earlier(cast, LIFTING, STAIRS, DRIVING)
    sent = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    assert client.get(f"/q/{sent.token}/1/activity/")["Location"] == f"/q/{sent.token}/1/"
    assert _name(client, sent.token, 1, "Something else").status_code == 302
    assert LinkActivity.objects.filter(name="Something else").count() == 0


def test_a_clinicians_activity_is_shown_as_typed_and_escaped(cast, patient):
    _named_earlier(cast, "<b>Lifting</b> & carrying", STAIRS, DRIVING)
    sent = send_link(cast.case, cast.clinician, "PSFS")
    page = Client().get(f"/q/{sent.token}/1/").content.decode()
    assert "&lt;b&gt;Lifting&lt;/b&gt; &amp; carrying" in page
    assert "<b>Lifting" not in page


# --- the first time: the patient names the activities ------------------------------------


def test_the_first_time_the_patient_names_three_activities_and_rates_each(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    start = client.get(f"/q/{sent.token}/").content.decode()
    assert f'href="/q/{sent.token}/1/activity/"' in start
    first = client.get(f"/q/{sent.token}/1/activity/").content.decode()
    assert "Question 1 of 5" in first
    assert "Name up to five important activities" in first
    assert 'maxlength="100"' in first
    assert "Skip this question" in first and "I have no other activity" not in first
    for number, (name, value) in enumerate(((LIFTING, 2), (STAIRS, 3), (DRIVING, 7)), 1):
        named = _name(client, sent.token, number, f"  {name} ")
        assert named["Location"] == f"/q/{sent.token}/{number}/"
        rating = client.get(named["Location"]).content.decode()
        assert name in rating and "How well can you do this activity today?" in rating
        assert f'href="/q/{sent.token}/{number}/activity/"' in rating  # Change the activity
        rated = _rate(client, sent.token, number, value)
        assert rated["Location"] == f"/q/{sent.token}/{number + 1}/activity/"
    fourth = client.get(f"/q/{sent.token}/4/activity/").content.decode()
    assert "Is there another activity that is hard for you to do?" in fourth
    assert "I have no other activity" in fourth and "Skip this question" not in fourth
    done = _name(client, sent.token, 4, "", action="none")
    assert done["Location"] == f"/q/{sent.token}/send/"
    summary = client.get(done["Location"]).content.decode()
    assert "You answered 3 of 3 questions." in summary
    response = _sent(client, sent.token)
    assert response.source == Response.Source.PATIENT
    assert response.is_complete and response.score == Decimal("4.00")
    assert list(response.answers.values_list("named", "value")) == [
        (LIFTING, 2),
        (STAIRS, 3),
        (DRIVING, 7),
    ]
    # The next link is a follow-up of these three.
    again = send_link(cast.case, cast.clinician, "PSFS")
    page = Client().get(f"/q/{again.token}/2/").content.decode()
    assert STAIRS in page and "Question 2 of 3" in page


def test_five_activities_named_and_rated_make_the_mean_of_five(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    names = (LIFTING, STAIRS, DRIVING, SLEEPING, KNEELING)
    for number, name in enumerate(names, 1):
        _name(client, sent.token, number, name)
        _rate(client, sent.token, number, number)
    assert _sent(client, sent.token).score == Decimal("3.00")


def test_a_renamed_activity_keeps_the_latest_name(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    _name(client, sent.token, 1, "Liftng")
    page = client.get(f"/q/{sent.token}/1/activity/").content.decode()
    assert 'value="Liftng"' in page
    _name(client, sent.token, 1, LIFTING)
    assert LIFTING in client.get(f"/q/{sent.token}/1/").content.decode()
    assert LinkActivity.objects.count() == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Write the activity in a few words."),
        ("   \n\t ", "Write the activity in a few words."),
        ("x" * 101, "Write the activity in 100 characters or fewer."),
    ],
)
def test_an_empty_or_overlong_name_is_refused_with_the_message_in_the_page(
    cast, patient, typed, message
):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    response = _name(Client(), sent.token, 1, typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<p class="patient-error" id="name-error">{message}</p>' in page
    assert 'aria-invalid="true"' in page
    assert "Question 1 of 5" in page
    assert not LinkActivity.objects.exists()


def test_a_name_of_100_characters_is_kept(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    assert _name(Client(), sent.token, 1, "x" * 100).status_code == 302
    assert LinkActivity.objects.get().name == "x" * 100


def test_a_typed_name_is_plain_text_shown_escaped(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    _name(client, sent.token, 1, '<script>alert("x")</script>\nlifting')
    page = client.get(f"/q/{sent.token}/1/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; lifting" in page
    assert "<script" not in page
    form = client.get(f"/q/{sent.token}/1/activity/").content.decode()
    assert 'value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; lifting"' in form


def test_rating_an_activity_not_named_goes_to_naming_it_first(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    response = _rate(Client(), sent.token, 1, 5)
    assert response["Location"] == f"/q/{sent.token}/1/activity/"
    assert not LinkAnswer.objects.exists()


def test_the_first_three_activities_cannot_be_declined(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    response = _name(Client(), sent.token, 3, "", action="none")
    assert response.status_code == 400
    assert "Write the activity in a few words." in response.content.decode()
    assert not LinkActivity.objects.exists()


def test_fewer_than_three_rated_is_stored_incomplete_and_not_scored(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    for number, name in enumerate((LIFTING, STAIRS), 1):
        _name(client, sent.token, number, name)
        _rate(client, sent.token, number, 6)
    skipped = _name(client, sent.token, 3, "", action="skip")
    assert skipped["Location"] == f"/q/{sent.token}/4/activity/"
    _name(client, sent.token, 4, "", action="none")
    summary = client.get(f"/q/{sent.token}/send/").content.decode()
    assert "You answered 2 of 3 questions." in summary
    assert f'href="/q/{sent.token}/3/activity/"' in summary
    response = _sent(client, sent.token)
    assert not response.is_complete and response.score is None
    assert response.assessment is None
    assert response.answers.count() == 2
    # Two activities are no baseline: the next link asks the patient to name them again.
    again = send_link(cast.case, cast.clinician, "PSFS")
    assert not LinkActivity.objects.filter(link=again.link).exists()


def test_the_psfs_after_another_questionnaire_is_numbered_across_the_set(cast, patient):
    sent = send_link(cast.case, cast.clinician, "NPRS", "PSFS")
    client = Client()
    assert _rate(client, sent.token, 1, 3)["Location"] == f"/q/{sent.token}/2/activity/"
    for number, name in enumerate((LIFTING, STAIRS, DRIVING), 2):
        _name(client, sent.token, number, name)
        _rate(client, sent.token, number, 8)
    assert "Question 5 of 6" in client.get(f"/q/{sent.token}/5/activity/").content.decode()
    _name(client, sent.token, 5, "", action="none")
    client.post(f"/q/{sent.token}/send/")
    link = QuestionnaireLink.objects.get()
    scores = {r.definition.instrument.abbreviation: r.score for r in link.responses.all()}
    assert scores == {"NPRS": 3, "PSFS": 8}
    # The set answered together is one assessment, as for the other questionnaires.
    assert len({r.assessment_id for r in link.responses.all()}) == 1


def test_the_pages_are_in_the_patients_language(cast, patient):
    patient.preferred_language = Language.SPANISH
    patient.save()
    _named_earlier(cast, LIFTING, STAIRS, DRIVING, day=datetime.date(2026, 11, 2))
    follow_up = send_link(cast.case, cast.clinician, "PSFS")
    page = Client().get(f"/q/{follow_up.token}/1/").content.decode()
    assert "El 2 de noviembre de 2026 nos dijo que le costaba hacer esta actividad" in page
    assert LIFTING in page and "Actividad 1" in page
    assert "0 – No puede realizar la actividad" in page
    Response.objects.all().delete()
    first = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    naming = client.get(f"/q/{first.token}/1/activity/").content.decode()
    assert "Nombre hasta cinco actividades importantes" in naming
    assert "Siguiente" in naming and "Omitir esta pregunta" in naming
    refused = _name(client, first.token, 1, " ").content.decode()
    assert "Escriba la actividad en pocas palabras." in refused
    for number in (1, 2, 3):
        _name(client, first.token, number, "Cargar cajas")
    optional = client.get(f"/q/{first.token}/4/activity/").content.decode()
    assert "No tengo otra actividad" in optional
    rating = client.get(f"/q/{first.token}/1/").content.decode()
    assert "¿Qué tan bien puede hacer esta actividad hoy?" in rating
    assert "Cambiar la actividad" in rating


def test_the_service_refuses_a_rating_before_its_activity_and_renaming_a_follow_ups(cast, patient):
    first = send_link(cast.case, cast.clinician, "PSFS")
    unnamed = questions.flow_of(first.link).questions[0]
    with pytest.raises(ValidationError, match="Name the activity before you rate it."):
        services.answer_save(link=first.link, question=unnamed, value=Decimal(5))
    _named_earlier(cast, LIFTING, STAIRS, DRIVING)
    follow_up = send_link(cast.case, cast.clinician, "PSFS")
    carried = questions.flow_of(follow_up.link).questions[0]
    with pytest.raises(ValidationError, match="This activity cannot be changed."):
        services.activity_name_save(link=follow_up.link, question=carried, typed="Typing")
    assert not LinkAnswer.objects.exists()
    assert not LinkActivity.objects.filter(name="Typing").exists()


# --- queries -------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_follow_ups_screen_makes_the_same_queries_whatever_the_activities(cast, patient):
    _named_earlier(cast, LIFTING, STAIRS, DRIVING)
    three = send_link(cast.case, cast.clinician, "PSFS")
    _named_earlier(cast, LIFTING, STAIRS, DRIVING, SLEEPING, KNEELING)
    five = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    for link in (three, five):
        client.get(f"/q/{link.token}/")  # opened: the first opening writes once
    assert _queries(client, f"/q/{three.token}/2/") == _queries(client, f"/q/{five.token}/2/")


def test_a_naming_screen_makes_the_same_queries_whatever_the_activities(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PSFS")
    client = Client()
    _name(client, sent.token, 1, LIFTING)
    _rate(client, sent.token, 1, 4)
    few = _queries(client, f"/q/{sent.token}/2/activity/")
    for number, name in enumerate((STAIRS, DRIVING, SLEEPING), 2):
        _name(client, sent.token, number, name)
        _rate(client, sent.token, number, 4)
    assert _queries(client, f"/q/{sent.token}/5/activity/") == few
