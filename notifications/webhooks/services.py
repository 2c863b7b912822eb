"""Webhook deliveries: made once a case event has committed, for each active webhook whose
client may read the case, then each sent on the task queue (notifications/tasks.py), never
in a web request. A try that fails is recorded (status code or error, time) and tried again
on the schedule of notifications/webhooks/schedule.py; after the last the delivery is
marked failed, and the webhook's admin page says so. A delivery whose task was lost is
queued again by a task every few minutes (resume_webhook_deliveries)."""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import certifi
import urllib3
from django.conf import settings
from django.db import connections, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cases.access import determinations_visible_to
from cases.models import Case, Determination

from ..models import Webhook, WebhookAttempt, WebhookDelivery
from . import addresses, payloads, schedule, signing

logger = logging.getLogger(__name__)

# A receiver that hangs costs a worker this long at most per try, never a page.
CONNECT_TIMEOUT = 3.0
READ_TIMEOUT = 5.0
# A pending delivery whose next try is this late has lost its task and is queued again.
OVERDUE = timedelta(minutes=15)


def webhooks_for(determination: Determination) -> list[Webhook]:
    """The active webhooks whose client (its token's user, active, token not revoked) may
    read this determination."""
    webhooks = Webhook.objects.filter(
        active=True, token__revoked_at__isnull=True, token__user__is_active=True
    ).select_related("token__user")
    return [
        webhook
        for webhook in webhooks
        if determinations_visible_to(webhook.token.user).filter(pk=determination.pk).exists()
    ]


def deliveries_make(
    *, event: str, determination: Determination, occurred_at: datetime, parts: dict[str, Any]
) -> list[int]:
    """One delivery per webhook that may hear of it, each sent once this commits; their
    ids."""
    case: Case = determination.case
    made = []
    with transaction.atomic():
        for webhook in webhooks_for(determination):
            delivery = WebhookDelivery.objects.create(webhook=webhook, event=event, body="")
            delivery.body = payloads.body(
                delivery_id=delivery.pk,
                event=event,
                occurred_at=occurred_at,
                parts={"case": payloads.case_part(case), **parts},
            )
            delivery.save(update_fields=["body"])
            made.append(delivery.pk)
        if made:
            transaction.on_commit(lambda: send_later(made), robust=True)
    return made


def send_later(delivery_ids: list[int]) -> None:
    """Queue each new delivery. Without a broker (development), a thread of this process
    sends them after the response, so a slow receiver never holds up a page (off with
    WEBHOOKS_IN_THREAD, for tests, which send inline)."""
    from ..tasks import deliver_webhook

    if deliver_webhook.app.conf.task_always_eager and settings.WEBHOOKS_IN_THREAD:
        threading.Thread(
            target=_send_in_thread, args=(delivery_ids,), name="webhooks", daemon=True
        ).start()
    else:
        _queue(delivery_ids)


def _send_in_thread(delivery_ids: list[int]) -> None:
    try:
        _queue(delivery_ids)
    finally:
        connections.close_all()


def _queue(delivery_ids: list[int]) -> None:
    from ..tasks import deliver_webhook

    for delivery_id in delivery_ids:
        deliver_webhook.delay(delivery_id=delivery_id, tries=0)


def _post(target: addresses.Target, body: bytes, headers: dict[str, str]) -> int:
    """POST to the checked address (not a new lookup), the host's name kept for TLS and the
    Host header; no redirect followed. The receiver's status code."""
    timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, target.port, timeout=timeout, retries=False
        )
    host = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    with pool:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": host, "Content-Type": "application/json"},
            redirect=False,
            preload_content=False,
        )
        status = response.status
        response.drain_conn()
        response.release_conn()
    return status


def _try_once(webhook: Webhook, body: bytes) -> tuple[int | None, str]:
    """One call: the status code, or None and what went wrong."""
    try:
        target = addresses.resolve(webhook.url)
    except addresses.UnsafeWebhookUrl as refused:
        return None, f"Not called: {refused}"
    stamp = int(time.time())
    try:
        status = _post(target, body, signing.headers(webhook.secret, stamp, body))
    except urllib3.exceptions.TimeoutError:
        return None, "The receiver did not answer in time."
    except (urllib3.exceptions.HTTPError, OSError) as error:
        return None, f"The call failed: {type(error).__name__}: {error}"[:300]
    if 200 <= status < 300:
        return status, ""
    return status, f"The receiver answered {status}."


@dataclass(frozen=True)
class NextTry:
    """A failed try's sequel: the tries made so far, and the seconds before the next."""

    tries: int
    wait: int


def webhook_attempt(*, delivery_id: int, tries: int | None = None) -> NextTry | None:
    """Make try number ``tries + 1`` of a pending delivery (the next one, when ``tries`` is
    None) and record it. The next try to make, or None when there is none (delivered, failed
    for good, cancelled, or this try already claimed).

    The try is claimed before the call, so a delivery queued twice (its own retry and a
    resumption, below) makes each try once."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook__token__user")
        .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return None
    webhook = delivery.webhook
    if not webhook.active or webhook.token.is_revoked or not webhook.token.user.is_active:
        _finish(delivery, WebhookDelivery.Status.CANCELLED)
        return None
    tries = delivery.attempts if tries is None else tries
    number = tries + 1
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=tries
    ).update(attempts=number)
    if not claimed:
        return None
    status_code, error = _try_once(webhook, delivery.body.encode())
    succeeded = status_code is not None and not error
    wait = None if succeeded else schedule.wait_after(number)
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            at=timezone.now(),
            status_code=status_code,
            error=error,
            retry_in=wait,
        )
        if succeeded:
            _finish(delivery, WebhookDelivery.Status.DELIVERED)
        elif wait is None:
            _finish(delivery, WebhookDelivery.Status.FAILED)
            logger.warning(
                "Webhook delivery %s failed after %s tries: %s", delivery.pk, number, error
            )
    return None if wait is None else NextTry(number, wait)


def overdue_deliveries(*, now: datetime) -> list[tuple[int, int]]:
    """The pending deliveries whose next try is over ``OVERDUE`` late, each as its id and the
    tries it has made: their task was lost (a worker stopped mid-call, a queue emptied, a web
    process restarted before its thread sent them). Late is read from the last try
    recorded, or from the delivery's making when none is."""
    last = WebhookAttempt.objects.filter(delivery=OuterRef("pk")).order_by("-number")
    pending = (
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        .annotate(
            last_at=Subquery(last.values("at")[:1]),
            retry_in=Subquery(last.values("retry_in")[:1]),
        )
        .order_by("pk")
        .values_list("pk", "attempts", "created_at", "last_at", "retry_in")
    )
    overdue = []
    for pk, attempts, created_at, last_at, retry_in in pending:
        due = created_at if last_at is None else last_at + timedelta(seconds=retry_in or 0)
        if due + OVERDUE <= now:
            overdue.append((pk, attempts))
    return overdue


def _finish(delivery: WebhookDelivery, status: str) -> None:
    delivery.status = status
    delivery.finished_at = timezone.now()
    delivery.save(update_fields=["status", "finished_at"])
