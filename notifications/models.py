"""Notifications: what happened on a case, told to each user it concerns, in the app and,
by the user's choice per kind, by email (notifications/services.py)."""

from django.conf import settings
from django.db import models

from .kinds import KINDS, Kind, kind_choices


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
