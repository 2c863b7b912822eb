"""The sessions a user is signed in with."""

from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from ..models import User, UserSession


def active_sessions(user: User) -> QuerySet[UserSession]:
    """The user's sessions still open (not expired nor ended), newest first."""
    open_keys = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=open_keys).order_by(
        "-started_at", "-pk"
    )
