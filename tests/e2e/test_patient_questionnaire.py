"""A Spanish-speaking patient answers the PHQ-9 and the NPRS on a phone from the link their
clinician emailed, without an account; the clinician then sees the new point on the chart
and the plateau check judged again on the case page."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.domain.dates import day_label
from cases.models import Case, Language
from tests.e2e.app import App
from tests.support.questionnaire_links import URL_IN_TEXT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}


def _check(app: App, name: str) -> None:
    """axe-core and no sideways scroll at 390 and 320 px; a screenshot at each."""
    for label, size in (("390", PHONE), ("320", NARROW)):
        app.page.set_viewport_size(size)
        app.page.screenshot(path=f"tests/e2e/screenshots/{name}-{label}.png", full_page=True)
        app.assert_accessible(f"{name} at {size['width']} px")
        app.assert_fits(f"{name} at {size['width']} px")
    app.page.set_viewport_size(PHONE)


def test_a_spanish_patient_answers_on_a_phone_and_the_clinician_sees_the_new_point(
    app, browser, live_server, e2e_settings
):
    e2e_settings.SITE_URL = live_server.url
    # Maria Sanchez's case is in treatment, tracks the NPRS and has assessments charted; she
    # reads Spanish here.
    maria = Case.objects.select_related("patient").get(claim_number="LSM-2026-0102")
    maria.patient.email = "maria@example.invalid"
    maria.patient.preferred_language = Language.SPANISH
    maria.patient.save()
    page = app.page

    # The clinician sends the PHQ-9 and the NPRS by email from the case page.
    app.log_in("dr.chen")
    app.visit(maria.get_absolute_url())
    before = page.locator(".plateau-note").inner_text()
    page.locator("#questionnaires").get_by_role("link", name="Send questionnaires").click()
    page.get_by_label("PHQ-9", exact=False).check()
    page.get_by_label("NPRS", exact=False).check()
    page.get_by_label("Email it to the patient").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("The questionnaire link was emailed")).to_be_visible()
    app.audit("questionnaires-sent")
    message = next(m for m in reversed(mail.outbox) if m.to == ["maria@example.invalid"])
    assert message.subject.startswith("Preguntas de ")
    url = URL_IN_TEXT.search(message.body).group(0)

    # The patient, on a phone, no account, no cookie of the clinic's.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    patient = App(context.new_page(), live_server.url)
    try:
        phone = patient.page
        phone.goto(url)
        expect(phone.get_by_role("heading", level=1)).to_have_text("Hola, Maria")
        expect(phone.locator("html")).to_have_attribute("lang", "es")
        _check(patient, "patient-start-es")
        phone.get_by_role("link", name="Empezar").click()
        number = 0
        while "/send/" not in phone.url:
            number += 1
            expect(phone.locator("#progress")).to_contain_text(f"Pregunta {number} de")
            if number == 1:
                _check(patient, "patient-question-es")
            choices = phone.locator(".patient-choice")
            # The second answer of each question: 1 on the NPRS (asked first), "Varios días"
            # on the PHQ-9.
            choices.nth(1).click()
            phone.get_by_role("button", name="Siguiente").click()
            if number == 10:
                # PHQ-9 item 9, the last question, above 0: the crisis line shows at once.
                expect(phone.get_by_role("alert")).to_contain_text("988")
                _check(patient, "patient-crisis-es")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Envíe sus respuestas")
        _check(patient, "patient-send-es")
        phone.get_by_role("button", name="Enviar mis respuestas").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Gracias")
        _check(patient, "patient-done-es")
        # The link is used: one plain page.
        response = phone.goto(url)
        assert response.status == 404
        expect(phone.get_by_role("heading", level=1)).to_have_text("This link cannot be opened")
        _check(patient, "patient-unavailable")
        patient.assert_no_broken_resources()
    finally:
        context.close()

    # The clinician: the answers on the list to review, the new point on the chart, the
    # plateau check judged again with it.
    app.visit(reverse("home"))
    expect(
        page.get_by_role("heading", name=re.compile("Patient questionnaires to review"))
    ).to_be_visible()
    app.audit("clinician-home-to-review")
    app.visit(maria.get_absolute_url())
    today = day_label(timezone.localdate())
    point = page.locator("#outcome-charts circle title", has_text=f"{today}: NPRS 1")
    expect(point).to_have_count(1)
    expect(page.locator(".plateau-note")).not_to_have_text(before)
    panel = page.locator("#questionnaires")
    expect(panel).to_contain_text("Completed")
    expect(panel.get_by_text("Safety answer")).to_be_visible()
    app.audit("case-questionnaires-panel")
    panel.get_by_role("button", name=re.compile("Mark reviewed")).click()
    expect(page.get_by_text("The patient's answers are marked reviewed.")).to_be_visible()


def _shown_link(app: App, case: Case, *names: str) -> str:
    """The clinician sends these questionnaires from the case page as a link shown once."""
    page = app.page
    app.visit(case.get_absolute_url())
    page.locator("#questionnaires").get_by_role("link", name="Send questionnaires").click()
    for name in names:
        page.get_by_label(name, exact=False).check()
    page.get_by_label("Show a link and QR code").check()
    page.get_by_role("button", name="Send").click()
    return page.locator("#link-url").input_value()


def test_a_patient_names_and_rates_their_activities_and_the_next_link_asks_the_same(
    app, browser, live_server, e2e_settings
):
    e2e_settings.SITE_URL = live_server.url
    case = Case.objects.get(claim_number="LSM-2026-0102")
    app.log_in("dr.chen")
    first_url = _shown_link(app, case, "PSFS")

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    patient = App(context.new_page(), live_server.url)
    activities = [
        "Lifting my son into the car seat",
        "Carrying the laundry basket down to the basement",
        "Sleeping through the night",
    ]
    try:
        phone = patient.page
        phone.goto(first_url)
        phone.get_by_role("link", name="Start").click()
        expect(phone.locator("#progress")).to_contain_text("Question 1 of 5")
        _check(patient, "patient-psfs-name")
        phone.get_by_role("button", name="Next").click()
        expect(phone.locator("#name-error")).to_have_text("Write the activity in a few words.")
        _check(patient, "patient-psfs-name-refused")
        for number, activity in enumerate(activities, start=1):
            phone.get_by_label(f"Activity {number}").fill(activity)
            phone.get_by_role("button", name="Next").click()
            expect(phone.locator(".patient-activity")).to_have_text(activity)
            if number == 1:
                _check(patient, "patient-psfs-rate")
            phone.locator(".patient-choice").nth(6).click()
            phone.get_by_role("button", name="Next").click()
        expect(phone.locator("#progress")).to_contain_text("Question 4 of 5")
        _check(patient, "patient-psfs-another")
        phone.get_by_role("button", name="I have no other activity").click()
        expect(phone.get_by_text("You answered 3 of 3 questions.")).to_be_visible()
        phone.get_by_role("button", name="Send my answers").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you")

        # Two weeks on, the next link asks the same three activities, as typed.
        phone.goto(_shown_link(app, case, "PSFS"))
        expect(phone.get_by_text("There are 3 questions, one on each screen.")).to_be_visible()
        phone.get_by_role("link", name="Start").click()
        expect(phone.locator(".patient-activity")).to_have_text(activities[0])
        _check(patient, "patient-psfs-follow-up")
        patient.assert_no_broken_resources()
    finally:
        context.close()

    # The clinician has the answers to review, as for the other questionnaires.
    app.visit(reverse("home"))
    to_review = app.page.get_by_role("heading", name=re.compile("Patient questionnaires to review"))
    expect(to_review).to_be_visible()
