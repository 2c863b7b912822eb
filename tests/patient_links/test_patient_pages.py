"""The patient's pages, opened by the link alone: the start, one question a screen, the
answers kept as they go, sending them, and the one plain page for every link that opens
nothing (used, expired, altered, made up)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from cases.models import Language
from patient_links import domain, questions
from patient_links.models import LinkAnswer, QuestionnaireLink
from questionnaires.models import Response
from tests.support.questionnaire_links import (
    answer_everything,
    choice_values,
    expire,
    send_link,
)


@pytest.fixture
def patient(cast):
    patient = cast.case.patient
    patient.first_name, patient.last_name = "Maria", "Gonzalez-Whitfield"
    patient.email = "maria@example.invalid"
    patient.save()
    cast.clinician.facility_name = "Gulf Coast Spine Clinic"
    cast.clinician.save()
    return patient


def test_the_start_page_names_the_patient_by_first_name_and_the_clinic_only(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PHQ-9", "NPRS")
    page = Client().get(f"/q/{sent.token}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Hello Maria" in text
    assert "Gulf Coast Spine Clinic" in text
    for private in ("Gonzalez-Whitfield", cast.case.claim_number, "M54", "Chen"):
        assert private not in text
    assert "There are 10 questions, one on each screen." in text
    assert f'href="/q/{sent.token}/1/"' in text


def test_opening_is_recorded_once(cast, patient):
    sent = send_link(cast.case, cast.clinician)
    Client().get(f"/q/{sent.token}/")
    first = QuestionnaireLink.objects.get().opened_at
    assert first is not None
    Client().get(f"/q/{sent.token}/")
    assert QuestionnaireLink.objects.get().opened_at == first


def test_one_question_a_screen_with_its_choices_as_large_radio_buttons(cast, patient):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    page = Client().get(f"/q/{sent.token}/1/").content.decode()
    assert "Question 1 of 1" in page
    assert choice_values(page) == [str(n) for n in range(11)]
    assert page.count('class="patient-choice"') == 11
    assert "<script" not in page


def test_answers_are_kept_as_they_go_and_coming_back_resumes(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PHQ-9", "NPRS")
    client = Client()
    client.post(f"/q/{sent.token}/1/", {"answer": "1", "action": "answer"})
    client.post(f"/q/{sent.token}/2/", {"action": "skip"})
    assert LinkAnswer.objects.count() == 2
    # Another day, another phone: the link starts where the patient stopped.
    again = Client().get(f"/q/{sent.token}/").content.decode()
    assert "Continue" in again
    assert f'href="/q/{sent.token}/3/"' in again
    # The first answer is shown chosen when the patient goes back to it.
    back = Client().get(f"/q/{sent.token}/1/").content.decode()
    assert re.search(r'value="1"[^>]*checked', back)


def test_a_changed_answer_is_a_new_row_and_the_latest_counts(cast, patient):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    client = Client()
    client.post(f"/q/{sent.token}/1/", {"answer": "7", "action": "answer"})
    client.post(f"/q/{sent.token}/1/", {"answer": "4", "action": "answer"})
    assert [a.value for a in LinkAnswer.objects.order_by("pk")] == [7, 4]
    flow = questions.flow_of(QuestionnaireLink.objects.get())
    assert flow.answer_key(flow.questions[0]) == "4"


@pytest.mark.parametrize("value", ["11", "-1", "2.5", "", "seven", "<script>"])
def test_an_answer_outside_the_choices_is_refused_with_the_page_again(cast, patient, value):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    response = Client().post(f"/q/{sent.token}/1/", {"answer": value, "action": "answer"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of the answers" in page
    assert "Question 1 of 1" in page
    assert not LinkAnswer.objects.exists()


def test_sending_stores_a_patient_reported_response_and_uses_the_link_up(cast, patient):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    client = Client()
    answer_everything(client, sent.token, pick=min)
    summary = client.get(f"/q/{sent.token}/send/").content.decode()
    assert "You answered 1 of 1 questions." in summary
    done = client.post(f"/q/{sent.token}/send/")
    assert done.status_code == 200
    assert "Your answers were sent to Gulf Coast Spine Clinic." in done.content.decode()
    link = QuestionnaireLink.objects.get()
    assert link.submitted_at is not None
    assert link.state() == domain.LinkState.COMPLETED
    response = link.responses.get()
    assert response.source == Response.Source.PATIENT
    assert response.is_complete and response.score == 0


def test_a_partly_answered_set_is_stored_incomplete_and_unscored_below_the_minimum(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PHQ-9")
    client = Client()
    client.post(f"/q/{sent.token}/1/", {"answer": "2", "action": "answer"})
    summary = client.get(f"/q/{sent.token}/send/").content.decode()
    assert "You answered 1 of 9 questions." in summary
    assert f'href="/q/{sent.token}/2/"' in summary
    client.post(f"/q/{sent.token}/send/")
    response = QuestionnaireLink.objects.get().responses.get()
    assert not response.is_complete and response.score is None


def test_phq9_item_9_above_0_shows_the_crisis_line_at_once(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PHQ-9")
    client = Client()
    assert "988" not in client.get(f"/q/{sent.token}/9/").content.decode()
    after = client.post(f"/q/{sent.token}/9/", {"answer": "1", "action": "answer"}, follow=True)
    page = after.content.decode()
    assert 'href="tel:988"' in page
    assert 'role="alert"' in page
    # From then on, on every page, and after sending.
    assert 'href="tel:988"' in client.get(f"/q/{sent.token}/").content.decode()
    assert 'href="tel:988"' in client.post(f"/q/{sent.token}/send/").content.decode()


def test_phq9_item_9_at_0_shows_no_crisis_line(cast, patient):
    sent = send_link(cast.case, cast.clinician, "PHQ-9")
    client = Client()
    after = client.post(f"/q/{sent.token}/9/", {"answer": "0", "action": "answer"}, follow=True)
    assert "988" not in after.content.decode()


def test_the_page_is_in_the_patients_language(cast, patient):
    patient.preferred_language = Language.SPANISH
    patient.save()
    sent = send_link(cast.case, cast.clinician, "NPRS")
    start = Client().get(f"/q/{sent.token}/").content.decode()
    assert '<html lang="es">' in start
    assert "Hola, Maria" in start
    assert "Empezar" in start
    question = Client().get(f"/q/{sent.token}/1/").content.decode()
    assert "Pregunta 1 de 1" in question
    assert "Siguiente" in question and "Omitir esta pregunta" in question
    refused = Client().post(f"/q/{sent.token}/1/", {"answer": "99", "action": "answer"})
    assert "Elija una de las respuestas" in refused.content.decode()


def test_an_english_patients_page_is_in_english(cast, patient):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    start = Client().get(f"/q/{sent.token}/").content.decode()
    assert '<html lang="en">' in start and "Start" in start


# --- one plain page for every link that opens nothing -------------------------------------


def _used(cast):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    client = Client()
    answer_everything(client, sent.token)
    client.post(f"/q/{sent.token}/send/")
    return sent.token


def _expired(cast):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    expire(sent.link)
    return sent.token


def _tampered(cast):
    token = send_link(cast.case, cast.clinician, "NPRS").token
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _guessed(cast):
    send_link(cast.case, cast.clinician, "NPRS")
    return domain.new_token()


UNUSABLE = {"used": _used, "expired": _expired, "tampered": _tampered, "guessed": _guessed}


@pytest.mark.parametrize("path", ["", "1/", "send/"])
def test_a_used_expired_tampered_or_guessed_link_gets_one_plain_page(cast, patient, path):
    answers = {}
    for reason, make in UNUSABLE.items():
        token = make(cast)
        response = Client().get(f"/q/{token}/{path}")
        answers[reason] = (response.status_code, response.content.decode().replace(token, ""))
    assert {status for status, _ in answers.values()} == {404}
    assert len({page for _, page in answers.values()}) == 1
    page = answers["used"][1]
    assert "This link cannot be opened" in page and "No se puede abrir este enlace" in page
    for private in ("Maria", "Gonzalez", "Gulf Coast", cast.case.claim_number, "NPRS"):
        assert private not in page


def test_a_used_link_refuses_answers_and_a_second_sending(cast, patient):
    token = _used(cast)
    assert Client().post(f"/q/{token}/1/", {"answer": "3"}).status_code == 404
    assert Client().post(f"/q/{token}/send/").status_code == 404
    link = QuestionnaireLink.objects.get()
    assert link.responses.count() == 1


def test_a_link_expires_after_seven_days_by_default(cast, patient):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=-60)):
        assert Client().get(f"/q/{sent.token}/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        assert Client().get(f"/q/{sent.token}/").status_code == 404


def test_the_links_life_is_a_setting(cast, patient, settings):
    settings.PATIENT_LINK_DAYS = 2
    sent = send_link(cast.case, cast.clinician, "NPRS")
    with time_machine.travel(timezone.now() + timedelta(days=2, seconds=1)):
        assert Client().get(f"/q/{sent.token}/").status_code == 404


def test_only_the_tokens_digest_is_stored(cast, patient):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    row = QuestionnaireLink.objects.values().get()
    assert sent.token not in repr(row)
    assert row["token_digest"] == domain.token_digest(sent.token)


def test_csrf_is_checked_on_the_patients_forms(cast, patient):
    sent = send_link(cast.case, cast.clinician, "NPRS")
    client = Client(enforce_csrf_checks=True)
    assert client.post(f"/q/{sent.token}/1/", {"answer": "3"}).status_code == 403
    page = client.get(f"/q/{sent.token}/1/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/q/{sent.token}/1/", {"answer": "3", "action": "answer", "csrfmiddlewaretoken": csrf}
    )
    assert response.status_code == 302


# --- rate limits ---------------------------------------------------------------------------


def test_an_address_guessing_links_is_stopped(cast, patient, settings):
    settings.PATIENT_LINK_FAILURE_LIMIT = "3/hour"
    sent = send_link(cast.case, cast.clinician, "NPRS")
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert guesser.get(f"/q/{domain.new_token()}/").status_code == 404
    refused = guesser.get(f"/q/{sent.token}/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Maria" not in refused.content.decode()
    # Another address is not held back.
    assert Client(REMOTE_ADDR="198.51.100.7").get(f"/q/{sent.token}/").status_code == 200


def test_an_address_is_limited_in_requests(cast, patient, settings):
    settings.PATIENT_LINK_RATE_LIMIT = "5/minute"
    sent = send_link(cast.case, cast.clinician, "NPRS")
    client = Client(REMOTE_ADDR="203.0.113.10")
    assert [client.get(f"/q/{sent.token}/").status_code for _ in range(6)] == [200] * 5 + [429]


# --- the email ----------------------------------------------------------------------------


def test_the_email_carries_the_clinic_and_the_link_and_no_health_data(
    cast, patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_link(cast.case, cast.clinician, "PHQ-9", channel="email")
    message = mail.outbox[-1]
    assert message.to == ["maria@example.invalid"]
    assert message.subject == "Questions from Gulf Coast Spine Clinic"
    assert sent.url in message.body
    assert "Hello Maria," in message.body
    for private in ("PHQ", "Gonzalez", cast.case.claim_number, "M54", "depress", "pain"):
        assert private.lower() not in (message.subject + message.body).lower()


def test_a_spanish_patients_email_is_in_spanish(cast, patient, django_capture_on_commit_callbacks):
    patient.preferred_language = Language.SPANISH
    patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        send_link(cast.case, cast.clinician, "NPRS", channel="email")
    message = mail.outbox[-1]
    assert message.subject == "Preguntas de Gulf Coast Spine Clinic"
    assert "Hola, Maria:" in message.body
    assert "No lo comparta." in message.body
