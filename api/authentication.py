"""Token authentication for systems: `Authorization: Bearer <token>`."""

from datetime import timedelta

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from cases.models import User

from .models import ApiToken
from .throttling import FailedTokenThrottle

# Recording each use would write on every request; a minute's precision is enough to see
# which tokens are still in use.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(BaseAuthentication):
    """A revoked or unknown token, or one whose user is inactive, answers 401; an address
    that has sent too many of them lately, 429 (throttling.FailedTokenThrottle)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        failures = FailedTokenThrottle()
        if failures.exhausted(request):
            raise exceptions.Throttled(failures.wait())
        token = self._token(parts)
        if token is None or not token.user.is_active:
            if not failures.failure(request):
                raise exceptions.Throttled(failures.wait())
            raise exceptions.AuthenticationFailed(
                "Send the header as “Bearer <token>”."
                if len(parts) != 2
                else "Invalid or revoked token."
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def _token(self, parts: list[bytes]) -> ApiToken | None:
        if len(parts) != 2:
            return None
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            return None
        return (
            ApiToken.objects.active()
            .select_related("user")
            .filter(digest=ApiToken.digest_of(secret))
            .first()
        )

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
