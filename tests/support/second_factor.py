"""Logging a test client in with its second factor confirmed, as a browser session is after
the password and the code (cases/services/second_factor.py), and the code a user's
authenticator app shows."""

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import User
from cases.services.second_factor import PASSED_AT_SESSION_KEY

force_login_with_password_only = Client.force_login


def force_login_with_second_factor(client: Client, user: User, backend=None) -> None:
    force_login_with_password_only(client, user, backend)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Test client")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[PASSED_AT_SESSION_KEY] = timezone.now().timestamp()
    session.save()


def next_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now, or the next one if this one was just
    used (a code works once; the device accepts the next step's code too)."""
    device.refresh_from_db()
    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.drift += max(0, device.last_t + 1 - clock.t())
    return f"{clock.token():0{device.digits}d}"
