"""Notifications: what happened on a case, told to each user it concerns, in the app and,
by the user's choice per kind, by email (notifications/services.py)."""

import secrets

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models

from .kinds import KINDS, Kind, kind_choices
from .webhooks.addresses import validate_webhook_url


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One notification to one user. ``text`` is shown in the app only, to its recipient;
    the email says no more than its kind's line (or the caller's ``email_text``), the claim
    number and the link."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=kind_choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    email_text = models.CharField(
        max_length=300,
        blank=True,
        help_text="The email's sentence, when not the kind's own: never health data.",
    )
    link = models.CharField(max_length=500, help_text="The page it is about, a path in the app.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient}"

    @property
    def kind_info(self) -> Kind:
        return KINDS[self.kind]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def href(self) -> str:
        """The link, if it is a path in this app (never another site, never a script)."""
        return self.link if self.link.startswith("/") and not self.link.startswith("//") else ""


class EmailPreference(models.Model):
    """A user's choice of email for one kind; without a row the kind's default holds."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_emails"
    )
    kind = models.CharField(max_length=40, choices=kind_choices)
    email = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_email_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} by email {'on' if self.email else 'off'}"


def _new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    """Where an API client (an API token: api/models.py) is told of certifications signed,
    amended and rescinded and of disputes recorded, on cases its token may read. Each call
    is signed with ``secret`` (notifications/webhooks/signing.py); the URL is checked when
    saved and again at each call (notifications/webhooks/addresses.py)."""

    token = models.OneToOneField(
        "api.ApiToken",
        on_delete=models.CASCADE,
        related_name="webhook",
        verbose_name="API client",
        help_text="The client's API token: the webhook tells only of cases it may read.",
    )
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[validate_webhook_url],
        help_text="https only, on the public internet.",
    )
    secret = models.CharField(
        max_length=128,
        default=_new_secret,
        help_text="Shared with the client, who checks each call's signature with it "
        "(at least 32 characters). A new random one is filled in for a new webhook.",
        validators=[MinLengthValidator(32)],
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["token__name"]

    def __str__(self) -> str:
        return f"Webhook of {self.token.name}"


class WebhookDelivery(models.Model):
    """One event for one webhook: the exact body signed and sent, and how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", "Being sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed after the last try"
        CANCELLED = "cancelled", "Not sent: the webhook was turned off or its token revoked"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    body = models.TextField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["webhook", "status"], name="webhook_delivery_status")]

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook.url} ({self.get_status_display()})"


class WebhookAttempt(models.Model):
    """One try at a delivery: when, what the receiver answered or what went wrong, and when
    the next try comes (empty after the last)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    retry_in = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds until the next try; empty after the last."
    )

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_per_number")
        ]

    def __str__(self) -> str:
        return f"Try {self.number} of {self.delivery}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
