"""Writes to the notifications: ``notify`` (what the rest of the product calls), a
notification marked read, a user's email choices.

``notify`` stores one in-app notification per recipient who may see the case and, once the
caller's transaction commits, asks the task queue to email those who want this kind by
email (notifications/tasks.py, notifications/emails.py): an email never holds up the
request that caused it, and is never sent for a change that was rolled back.
"""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from cases.access import users_who_see
from cases.models import Case, User

from .kinds import KINDS
from .models import EmailPreference, Notification
from .selectors import email_choices


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    case: Case | None,
    text: str,
    link: str,
    actor: User | None = None,
    email_text: str = "",
) -> list[Notification]:
    """Tell each of ``recipients`` that ``kind`` happened on ``case``, in the app (``text``,
    linking to ``link``, a path such as ``case.get_absolute_url()``) and by email if they
    want this kind by email (the email says ``email_text``, or the kind's own line, the claim
    number and the link; never ``text``, which may hold health data).

    Left out: ``actor`` (nobody is told of their own action), ``None`` entries, duplicates,
    inactive users and, when there is a case, anyone who may not see it
    (cases/access.py ``users_who_see``). Returns the notifications made.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}: add it to notifications/kinds.py.")
    people = {user.pk: user for user in recipients if user is not None and user.is_active}
    if actor is not None:
        people.pop(actor.pk, None)
    if case is not None and people:
        allowed = set(users_who_see(case).filter(pk__in=people).values_list("pk", flat=True))
        people = {pk: user for pk, user in people.items() if pk in allowed}
    if not people:
        return []
    made = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            case=case,
            text=text[:300],
            email_text=email_text[:300],
            link=link,
        )
        for user in people.values()
    )
    wanted = email_choices(list(people.values()), kind)
    to_email = [
        notification.pk
        for notification in made
        if wanted[notification.recipient_id] and notification.recipient.email
    ]
    if to_email:
        transaction.on_commit(lambda: _send_emails(to_email), robust=True)
    return made


def _send_emails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_email

    for notification_id in notification_ids:
        send_notification_email.delay(notification_id=notification_id)


def notification_mark_read(*, user: User, notification_id: int) -> Notification | None:
    """Mark one of the user's own notifications read; None if it is not theirs."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; how many were."""
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())


@transaction.atomic
def email_preferences_save(*, user: User, choices: Mapping[str, bool]) -> None:
    """Keep the user's choice of email for each kind they may choose for (a kind whose email
    is required is always emailed and keeps no row)."""
    for key, email in choices.items():
        kind = KINDS[key]
        if kind.email_required:
            continue
        EmailPreference.objects.update_or_create(
            user=user, kind=key, defaults={"email": bool(email)}
        )
