"""A user's second factors, as their pages list them."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ..models import User

# The kinds a user adds and removes themselves, by the name their URLs give them.
FACTOR_KINDS: dict[str, type[TOTPDevice] | type[WebAuthnCredential]] = {
    "authenticator": TOTPDevice,
    "security-key": WebAuthnCredential,
}


def authenticators(user: User):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def security_keys(user: User):
    return WebAuthnCredential.objects.devices_for_user(user, confirmed=True)


def factor_of(user: User, kind: str, device_id: int) -> TOTPDevice | WebAuthnCredential | None:
    """The user's own authenticator app or security key with this id, if it is theirs."""
    model = FACTOR_KINDS.get(kind)
    if model is None:
        return None
    return model.objects.devices_for_user(user, confirmed=True).filter(pk=device_id).first()
