"""Issuing and revoking API tokens (docs/architecture.md §3): the admin and the commands
call these."""

import secrets

from django.db import transaction
from django.utils import timezone

from cases.models import User
from cases.templatetags.dates import day

from .models import ApiToken


class TokenAlreadyRevoked(Exception):
    """The token was revoked before."""


def _new_secret() -> str:
    """A token's secret that can be typed after `revoke_api_token`: one beginning with "-"
    would be read there as an option."""
    while (secret := secrets.token_urlsafe(32)).startswith("-"):
        pass
    return secret


@transaction.atomic
def api_token_issue(*, token: ApiToken, issued_by: User | None) -> str:
    """Save a new token for `token.user` and return its secret, which is never stored."""
    if not token.user.is_active:
        raise ValueError(f"{token.user.get_username()} is inactive: no token is issued.")
    secret = _new_secret()
    token.prefix = secret[:8]
    token.digest = ApiToken.digest_of(secret)
    token.created_by = issued_by
    token.full_clean()
    token.save()
    return secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, revoked_by: User | None) -> ApiToken:
    """Revoke a token: from now on a request with it answers 401."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.is_revoked:
        raise TokenAlreadyRevoked(f"Token {token.prefix}… was revoked on {day(token.revoked_at)}.")
    token.revoked_at = timezone.now()
    token.revoked_by = revoked_by
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token
