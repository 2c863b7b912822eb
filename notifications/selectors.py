"""Reads of the notifications: a user's list and unread count, their email choices, and a
webhook's deliveries."""

from django.db.models import Q, QuerySet

from cases.access import of_visible_cases
from cases.models import User

from .kinds import KINDS
from .models import (
    EmailPreference,
    Notification,
    NotificationQuerySet,
    Webhook,
    WebhookDelivery,
)


def notifications_of(user: User) -> NotificationQuerySet:
    """The user's notifications, newest first, about cases they may still see (or about no
    case): one who has left a case's team no longer reads of it."""
    return Notification.objects.filter(recipient=user).filter(
        Q(case__isnull=True) | of_visible_cases(user)
    )


def unread_count(user: User) -> int:
    """The number in the navigation bar: one COUNT."""
    return notifications_of(user).unread().count()


def email_choices(users: list[User], kind: str) -> dict[int, bool]:
    """Whether each user gets ``kind`` by email: the user's choice, else the kind's default;
    always for a kind whose email is required. One query at most."""
    info = KINDS[kind]
    if info.email_required:
        return {user.pk: True for user in users}
    chosen = dict(
        EmailPreference.objects.filter(user__in=users, kind=kind).values_list("user_id", "email")
    )
    return {user.pk: chosen.get(user.pk, info.email_default) for user in users}


def email_preferences_of(user: User) -> dict[str, bool]:
    """The user's email choice for every kind (defaults where they have made none)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "email"))
    return {
        key: True if kind.email_required else chosen.get(key, kind.email_default)
        for key, kind in KINDS.items()
    }


def failed_deliveries(webhook: Webhook) -> QuerySet[WebhookDelivery]:
    """The webhook's deliveries that failed after their last try, latest first."""
    return webhook.deliveries.filter(status=WebhookDelivery.Status.FAILED).order_by(
        "-created_at", "-pk"
    )


def recent_deliveries(webhook: Webhook, count: int) -> list[WebhookDelivery]:
    """The webhook's latest deliveries with their tries (two queries)."""
    return list(webhook.deliveries.prefetch_related("attempt_log")[:count])
