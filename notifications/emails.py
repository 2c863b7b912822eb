"""A notification's email: the kind's line (or the caller's ``email_text``), the claim
number and a link, and nothing else: no name, no diagnosis, nothing typed on the case. Sent
once, however often the task runs."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Notification


def notification_message(notification: Notification) -> EmailMessage:
    kind = notification.kind_info
    claim = notification.case.claim_number if notification.case is not None else ""
    subject = f"MMI Tracker: {kind.label}" + (f", claim {claim}" if claim else "")
    body = render_to_string(
        "emails/notification.txt",
        {
            "line": notification.email_text or kind.email_line,
            "claim": claim,
            "url": f"{settings.SITE_URL}{notification.link}",
            "required": kind.email_required,
            "preferences_url": f"{settings.SITE_URL}{reverse('notifications:preferences')}",
        },
    )
    return EmailMessage(subject, body, to=[notification.recipient.email])


def notification_email_send(*, notification_id: int) -> bool:
    """Email the notification unless it has been emailed; returns whether it was. The row is
    locked while sending, so two workers given it never both send."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "case")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        notification_message(notification).send()
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True
