"""Where a user is signed in: each session recorded at login and dropped at logout, and the
user's own way to end every session but the one in hand."""

from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest

from mmi_tracker.addresses import client_address

from ..models import User, UserSession


def session_record(*, request: HttpRequest, user: User) -> UserSession:
    """Record the request's session as ``user``'s: from where, with which browser."""
    session, _ = UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "client_address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    return session


def session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def sessions_end_others(*, user: User, keep_session_key: str) -> int:
    """End every session of ``user`` but ``keep_session_key``: they are signed out at their
    next request. How many were ended."""
    others = UserSession.objects.filter(user=user).exclude(session_key=keep_session_key)
    keys = list(others.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    others.delete()
    return len(keys)
