"""Webhooks against a real receiver on this machine (http.server in a thread): signed calls
it can verify, only for clients that may read the case, tries recorded and retried on the
schedule, the last failure said plainly on the client's admin page, and URLs refused."""

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from celery.app.task import Task
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from cases import events
from cases.models import Determination, Dispute
from notifications import tasks
from notifications.models import Webhook, WebhookAttempt, WebhookDelivery
from notifications.webhooks import receivers, services
from tests.support.api import signed_determination, token_for
from tests.support.cast import client_for
from tests.support.determinations import signed_determination as sign_for_real
from tests.support.guards import guards_lifted

pytestmark = pytest.mark.usefixtures("module_cast")

PUBLIC = "93.184.216.34"  # never called: only what a patched lookup answers


@dataclass
class Receiver:
    """A local HTTP server that records each call and answers ``status`` (after ``delay``
    seconds)."""

    status: int = 200
    delay: float = 0.0
    calls: list[dict] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/mmi"


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    settings.WEBHOOK_ALLOWED_LOCAL_HOSTS = ["127.0.0.1"]
    settings.WEBHOOKS_IN_THREAD = False
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.calls.append({"headers": dict(self.headers), "body": body, "path": self.path})
            if state.delay:
                time.sleep(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def webhook_for(user, url, secret="k" * 40) -> Webhook:
    token_for(user, name=f"Claims system of {user.username}")
    token = ApiToken.objects.filter(user=user).latest("created_at")
    webhook = Webhook(token=token, url=url, secret=secret)
    webhook.full_clean()
    webhook.save()
    return webhook


def verify_as_the_docs_say(secret: str, headers: dict, body: bytes) -> bool:
    """The receiver's check, as docs/api.md shows it."""
    timestamp = headers["X-MMI-Timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + expected.hexdigest(), headers["X-MMI-Signature"])


def test_a_signed_certification_reaches_the_receiver_signed_and_free_of_health_data(
    cast, receiver, django_capture_on_commit_callbacks
):
    webhook = webhook_for(cast.adjuster, receiver.url)
    webhook_for(cast.other_adjuster, receiver.url)  # another insurer: hears nothing
    with django_capture_on_commit_callbacks(execute=True):
        determination = sign_for_real(cast.case, cast.clinician)
    (call,) = receiver.calls
    assert call["path"] == "/hooks/mmi"
    assert verify_as_the_docs_say(webhook.secret, call["headers"], call["body"])
    assert not verify_as_the_docs_say("x" * 40, call["headers"], call["body"])
    payload = json.loads(call["body"])
    assert payload["event"] == "certification.signed"
    assert payload["case"]["claim_number"] == cast.case.claim_number
    assert payload["case"]["url"].endswith(f"/api/v1/cases/{cast.case.pk}/")
    assert payload["determination"]["id"] == determination.pk
    assert payload["determination"]["url"].endswith(f"/api/v1/determinations/{determination.pk}/")
    text = call["body"].decode()
    for health_data in (
        cast.case.patient.first_name,
        cast.case.patient.last_name,
        str(determination.mmi_date),
        "impairment",
        "rating",
    ):
        assert health_data not in text
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert payload["id"] == delivery.pk
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    (attempt,) = delivery.attempt_log.all()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 200, "")


def test_amended_rescinded_and_disputed_each_reach_the_receiver(
    cast, receiver, django_capture_on_commit_callbacks
):
    webhook_for(cast.adjuster, receiver.url)
    first = signed_determination(cast.case, cast.clinician, status=Determination.Status.SUPERSEDED)
    second = signed_determination(cast.case, cast.clinician, version=2, supersedes=first)
    with django_capture_on_commit_callbacks(execute=True):
        receivers.on_amended(Determination, determination=second, superseded=first)
    with guards_lifted():
        Determination._base_manager.filter(pk=second.pk).update(
            status=Determination.Status.RESCINDED,
            rescinded_at=second.signed_at,
            rescinded_by=cast.clinician,
            rescind_category=Determination.RescindReason.values[0],
        )
    second.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        receivers.on_rescinded(Determination, determination=second, by=cast.clinician)
    dispute = Dispute.objects.create(
        case=cast.case,
        determination=second,
        disputed_by=Dispute.Party.CARRIER,
        notice_date=second.signed_at.date(),
        received_on=second.signed_at.date(),
        review_requested=Dispute.Review.IME,
        recorded_by=cast.case_manager,
    )
    with django_capture_on_commit_callbacks(execute=True):
        events.dispute_recorded.send(sender=Dispute, dispute=dispute)
    payloads = [json.loads(call["body"]) for call in receiver.calls]
    assert [payload["event"] for payload in payloads] == [
        "certification.amended",
        "certification.rescinded",
        "dispute.recorded",
    ]
    assert payloads[0]["superseded"]["id"] == first.pk
    assert payloads[1]["determination"]["rescinded_at"] is not None
    assert payloads[2]["dispute"]["id"] == dispute.pk


def test_a_client_that_may_not_read_the_case_or_whose_token_is_revoked_hears_nothing(
    cast, receiver, django_capture_on_commit_callbacks
):
    webhook_for(cast.other_adjuster, receiver.url)
    revoked = webhook_for(cast.case_manager, receiver.url)
    ApiToken.objects.filter(pk=revoked.token_id).update(revoked_at="2026-01-01T00:00Z")
    determination = signed_determination(cast.case, cast.clinician)
    with django_capture_on_commit_callbacks(execute=True):
        receivers.on_signed(Determination, determination=determination)
    assert receiver.calls == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_tried_five_times_on_the_schedule_then_the_admin_page_says_so(
    cast, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    webhook = webhook_for(cast.adjuster, receiver.url)
    determination = signed_determination(cast.case, cast.clinician)
    with (
        mock.patch("celery.app.task.Task.retry", autospec=True, side_effect=Task.retry) as retry,
        django_capture_on_commit_callbacks(execute=True),
    ):
        receivers.on_signed(Determination, determination=determination)
    assert len(receiver.calls) == 5
    # Each try signed afresh for its own time, the body unchanged.
    assert len({call["body"] for call in receiver.calls}) == 1
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert delivery.status == WebhookDelivery.Status.FAILED
    attempts = list(delivery.attempt_log.values_list("number", "status_code", "retry_in"))
    assert attempts == [(1, 500, 30), (2, 500, 120), (3, 500, 480), (4, 500, 1920), (5, 500, None)]
    assert [call.kwargs["countdown"] for call in retry.call_args_list] == [30, 120, 480, 1920]
    assert all(a.error == "The receiver answered 500." for a in WebhookAttempt.objects.all())

    page = client_for(cast.admin).get(
        reverse("admin:notifications_webhook_change", args=[webhook.pk])
    )
    html = page.content.decode()
    assert "1 delivery failed after the last of 5 tries and will not be sent again" in html
    assert "The receiver answered 500." in html
    listing = client_for(cast.admin).get(reverse("admin:notifications_webhook_changelist"))
    assert listing.status_code == 200


def test_a_hanging_receiver_costs_one_short_timeout_per_try(cast, receiver, monkeypatch):
    monkeypatch.setattr(services, "READ_TIMEOUT", 0.3)
    receiver.delay = 2
    webhook = webhook_for(cast.adjuster, receiver.url)
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="certification.signed", body="{}"
    )
    started = time.monotonic()
    next_try = services.webhook_attempt(delivery_id=delivery.pk)
    assert time.monotonic() - started < 1.5
    assert next_try == services.NextTry(tries=1, wait=30)
    (attempt,) = delivery.attempt_log.all()
    assert attempt.status_code is None
    assert attempt.error == "The receiver did not answer in time."


def test_with_a_broker_the_calls_are_queued_never_made_in_the_request(cast, receiver, monkeypatch):
    from mmi_tracker.celery import app

    queued = []
    monkeypatch.setattr(tasks.deliver_webhook, "delay", lambda **kwargs: queued.append(kwargs))
    app.conf.task_always_eager = False  # put back by tests/conftest.py's _tasks_inline
    services.send_later([7, 8])
    assert queued == [{"delivery_id": 7, "tries": 0}, {"delivery_id": 8, "tries": 0}]
    assert receiver.calls == []


def pending(webhook, *, made_minutes_ago: int, tries: Sequence[tuple[int, int | None]] = ()):
    """A pending delivery made so long ago, with failed tries made ``(minutes ago,
    retry_in)``, oldest first."""
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="certification.signed", body="{}", attempts=len(tries)
    )
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=now - timedelta(minutes=made_minutes_ago)
    )
    for number, (minutes_ago, retry_in) in enumerate(tries, start=1):
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            at=now - timedelta(minutes=minutes_ago),
            status_code=503,
            error="The receiver answered 503.",
            retry_in=retry_in,
        )
    return delivery


def test_a_delivery_whose_task_was_lost_is_sent_again_at_the_try_it_reached(
    cast, receiver, capsys, settings
):
    webhook = webhook_for(cast.adjuster, receiver.url)
    never_tried = pending(webhook, made_minutes_ago=20)
    just_made = pending(webhook, made_minutes_ago=10)
    # Two tries, the second 30 minutes ago with the third due 2 minutes later: lost.
    lost_retry = pending(webhook, made_minutes_ago=40, tries=[(40, 30), (30, 120)])
    # Three tries, the third 5 minutes ago, the fourth due in 27 minutes: still waiting.
    waiting = pending(webhook, made_minutes_ago=60, tries=[(60, 30), (58, 120), (5, 1920)])
    delivered = pending(webhook, made_minutes_ago=90)
    WebhookDelivery.objects.filter(pk=delivered.pk).update(status=WebhookDelivery.Status.DELIVERED)

    assert services.overdue_deliveries(now=timezone.now()) == [
        (never_tried.pk, 0),
        (lost_retry.pk, 2),
    ]
    call_command("resume_webhook_deliveries")

    assert "2 webhook deliveries resumed." in capsys.readouterr().out
    assert len(receiver.calls) == 2
    for delivery, tries in [(never_tried, 1), (lost_retry, 3)]:
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.DELIVERED
        assert delivery.attempts == tries
        assert delivery.attempt_log.latest("number").number == tries
    for delivery in (just_made, waiting):
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.PENDING
    assert services.overdue_deliveries(now=timezone.now()) == []
    assert settings.CELERY_BEAT_SCHEDULE["resume-webhook-deliveries"]["task"] == (
        tasks.resume_webhook_deliveries.name
    )


def test_a_delivery_queued_twice_makes_each_try_once(cast, receiver):
    receiver.status = 503
    webhook = webhook_for(cast.adjuster, receiver.url)
    delivery = pending(webhook, made_minutes_ago=1)

    assert services.webhook_attempt(delivery_id=delivery.pk, tries=0) == services.NextTry(1, 30)
    # The same try again (its retry and a resumption both queued): not made twice.
    assert services.webhook_attempt(delivery_id=delivery.pk, tries=0) is None
    assert len(receiver.calls) == 1
    assert services.webhook_attempt(delivery_id=delivery.pk, tries=1) == services.NextTry(2, 120)
    assert len(receiver.calls) == 2
    assert list(delivery.attempt_log.values_list("number", flat=True)) == [1, 2]


def fake_lookup(address):
    def getaddrinfo(host, port, *args, **kwargs):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    return getaddrinfo


def test_a_name_that_resolves_to_a_private_address_at_send_time_is_not_called(cast, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", fake_lookup(PUBLIC))
    webhook = webhook_for(cast.adjuster, "https://hooks.example.com/mmi")
    delivery = WebhookDelivery.objects.create(
        webhook=webhook, event="certification.signed", body="{}"
    )
    # Later the name points inside the network (DNS rebinding).
    monkeypatch.setattr(socket, "getaddrinfo", fake_lookup("10.0.0.7"))
    with mock.patch.object(services, "_post", side_effect=AssertionError("connected")):
        assert services.webhook_attempt(delivery_id=delivery.pk) == services.NextTry(1, 30)
    (attempt,) = delivery.attempt_log.all()
    assert attempt.error.startswith("Not called: hooks.example.com resolves to 10.0.0.7, a private")


@pytest.mark.parametrize(
    ("url", "lookup", "words"),
    [
        ("http://hooks.example.com/mmi", PUBLIC, "must begin with https://"),
        ("ftp://hooks.example.com/mmi", PUBLIC, "must begin with https://"),
        ("https://10.0.0.5/mmi", "10.0.0.5", "10.0.0.5, a private address"),
        ("https://localhost/mmi", "127.0.0.1", "a loopback address"),
        ("https://[::1]/mmi", "::1", "a loopback address"),
        ("https://169.254.169.254/latest", "169.254.169.254", "a link-local address"),
        ("https://intranet.example.com/", "192.168.1.4", "a private address"),
        ("https://user:pw@hooks.example.com/", PUBLIC, "may not carry a user name"),
    ],
)
def test_unsafe_urls_are_refused_when_saved(cast, monkeypatch, settings, url, lookup, words):
    settings.WEBHOOK_ALLOWED_LOCAL_HOSTS = []
    monkeypatch.setattr(socket, "getaddrinfo", fake_lookup(lookup))
    with pytest.raises(ValidationError) as refused:
        webhook_for(cast.adjuster, url)
    assert words in str(refused.value)


def test_a_name_that_does_not_resolve_is_refused(cast, monkeypatch):
    def nowhere(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", nowhere)
    with pytest.raises(ValidationError, match="could not be found"):
        webhook_for(cast.adjuster, "https://hooks.example.com/mmi")


def test_the_admin_page_refuses_an_unsafe_url_with_a_clear_message(cast, settings):
    settings.WEBHOOK_ALLOWED_LOCAL_HOSTS = []
    token_for(cast.adjuster)
    token = ApiToken.objects.get(user=cast.adjuster)
    response = client_for(cast.admin).post(
        reverse("admin:notifications_webhook_add"),
        {"token": token.pk, "url": "https://127.0.0.1/hook", "secret": "k" * 40, "active": "on"},
    )
    assert response.status_code == 200
    assert "127.0.0.1 resolves to 127.0.0.1, a loopback address (this machine)" in (
        response.content.decode()
    )
    assert not Webhook.objects.exists()
