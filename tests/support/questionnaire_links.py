"""Questionnaire links for the tests: one sent to a case's patient, and a patient walking
its pages the way a phone does (plain forms, no script)."""

import re
from decimal import Decimal

from django.core import mail
from django.test import Client

from cases.models import Case, User
from patient_links import questions, services
from patient_links.models import QuestionnaireLink
from patient_links.services import SentLink

URL_IN_TEXT = re.compile(r"https?://\S+/q/([A-Za-z0-9_-]{43})/")


def shipped(*names: str) -> list[questions.Instrument]:
    """Shipped instruments by their short names ("PHQ-9", "NPRS"), in that order."""
    return [questions.instrument_named(name) for name in names]


def send_link(
    case: Case, by: User, *names: str, channel: str = QuestionnaireLink.Channel.SHOWN
) -> SentLink:
    return services.link_send(
        case=case, sent_by=by, instruments=shipped(*(names or ("NPRS",))), channel=channel
    )


def token_in_last_email() -> str:
    match = URL_IN_TEXT.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def choice_values(page: str) -> list[str]:
    return re.findall(r'type="radio" name="answer" value="([^"]*)"', page)


def answer_everything(client: Client, token: str, pick=max) -> list[str]:
    """Walk the questions from the first, choosing ``pick`` of each one's values (the
    highest by default), and stop at the page that sends them; the pages' URLs."""
    visited = []
    url = f"/q/{token}/1/"
    while "/send/" not in url:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        values = choice_values(page.content.decode())
        chosen = pick(values, key=Decimal)
        response = client.post(url, {"answer": chosen, "action": "answer"})
        assert response.status_code == 302, (url, response.status_code)
        visited.append(url)
        url = response["Location"]
    return visited


def running_plan(cast) -> dict:
    """A plan on the cast's case, for the permission matrix."""
    from django.utils import timezone

    cast.case.patient.email = "pat@example.invalid"
    cast.case.patient.save()
    plan = services.plan_start(
        case=cast.case,
        created_by=cast.clinician,
        instruments=shipped("NPRS"),
        every_days=14,
        starts_on=timezone.localdate(),
    )
    return {"plan_id": plan.pk}


def answered_link(cast) -> dict:
    """A link of the cast's case its patient has answered and sent."""
    sent = send_link(cast.case, cast.clinician, "NPRS")
    client = Client()
    answer_everything(client, sent.token)
    client.post(f"/q/{sent.token}/send/")
    return {"link_id": sent.link.pk}


def expire(*links: QuestionnaireLink) -> None:
    """Send these links eight days ago, so that they expired a day ago unanswered."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    QuestionnaireLink.objects.filter(pk__in=[link.pk for link in links]).update(
        sent_at=now - timedelta(days=8), expires_at=now - timedelta(days=1)
    )
