"""The second factor (django-otp): authenticator apps (TOTP), security keys and passkeys
(WebAuthn, django-otp-webauthn) and one-time recovery codes.

Every user may add one; clinicians and administrators must (``second_factor_required``).
A session counts as verified once one of the user's factors has been confirmed in it
(``django_otp.login``); when is kept in the session, so that signing a certification can
ask again when the last confirmation is older than ``SIGNING_SECOND_FACTOR_MINUTES``.
"""

from base64 import b32encode
from datetime import timedelta

import django_otp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ..models import Role, User
from ..selectors.second_factor import authenticators, security_keys

REQUIRED_ROLES = frozenset({Role.CLINICIAN, Role.ADMINISTRATOR})
RECOVERY_CODE_COUNT = 10
RECOVERY_CODES_NAME = "Recovery codes"
AUTHENTICATOR_NAME = "Authenticator app"
PASSED_AT_SESSION_KEY = "second_factor_passed_at"


def second_factor_required(user: User) -> bool:
    return user.role in REQUIRED_ROLES


def has_second_factor(user: User) -> bool:
    """Whether the user has a confirmed authenticator app or security key (recovery codes
    alone are a way back in, not a factor of their own)."""
    return bool(authenticators(user).exists() or security_keys(user).exists())


def session_verified(request: HttpRequest) -> bool:
    """Whether one of the user's factors has been confirmed in this session (django-otp's
    OTPMiddleware gives the user ``is_verified``)."""
    return bool(request.user.is_authenticated and request.user.is_verified())  # type: ignore[attr-defined]


def second_factor_passed(request: HttpRequest, device: Device) -> None:
    """Mark the request's session as verified by ``device``, now."""
    django_otp.login(request, device)
    request.session[PASSED_AT_SESSION_KEY] = timezone.now().timestamp()


def second_factor_fresh_for_signing(request: HttpRequest) -> bool:
    """Whether the session's second factor was confirmed recently enough to sign."""
    passed_at = request.session.get(PASSED_AT_SESSION_KEY)
    if not isinstance(passed_at, (int, float)) or not session_verified(request):
        return False
    limit = timedelta(minutes=settings.SIGNING_SECOND_FACTOR_MINUTES)
    return timezone.now().timestamp() - passed_at <= limit.total_seconds()


def _as_typed(code: str) -> str:
    """A code without the spaces people type or paste into it ("123 456")."""
    return "".join(code.split())


def code_check(user: User, code: str) -> Device | None:
    """The authenticator app or recovery code that accepts ``code``, if any. A recovery code
    is spent by its use. Wrong codes slow the next tries down (django-otp's throttling:
    each failure doubles the wait on that device)."""
    code = _as_typed(code).lower()
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.devices_for_user(user).select_for_update():
                if device.verify_token(code):
                    return device
    return None


def authenticator_start(user: User) -> TOTPDevice:
    """The user's authenticator app awaiting its first code: a new key, or the one already
    shown if they have not confirmed it yet."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": AUTHENTICATOR_NAME}
    )
    return device


def authenticator_key(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def authenticator_confirm(device: TOTPDevice, code: str) -> bool:
    """Confirm a new authenticator app by the first code it shows."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(_as_typed(code)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def recovery_codes_issue(user: User) -> list[str]:
    """New recovery codes for ``user``, replacing any left: each works once, in place of
    the authenticator app or security key."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_CODES_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: User) -> int:
    left: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return left


class LastFactor(Exception):
    """The user's role requires a second factor and this is their last one."""


@transaction.atomic
def factor_remove(*, user: User, device: TOTPDevice | WebAuthnCredential) -> None:
    """Remove one of the user's authenticator apps or security keys. The last one cannot
    go while the role requires a second factor; when it goes, so do the recovery codes."""
    User.objects.select_for_update().get(pk=user.pk)
    device.delete()
    if has_second_factor(user):
        return
    if second_factor_required(user):
        raise LastFactor(
            f"{user.role_label}s must keep a second factor: add another before removing this one."
        )
    StaticDevice.objects.filter(user=user).delete()
