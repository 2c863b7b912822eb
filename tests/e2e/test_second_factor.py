"""The second factor in a real browser: a security key added and used (Chromium's virtual
authenticator, through the DevTools protocol), an authenticator app added, and the pages
checked like every main page."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from cases.models import User
from tests.support.second_factor import next_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def security_keys_here(e2e_settings, live_server):
    """Security keys belong to the live server's origin (localhost, like the local start)."""
    e2e_settings.OTP_WEBAUTHN_RP_ID = "localhost"
    e2e_settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def plug_in_security_key(app) -> None:
    """A virtual FIDO2 key that says yes at once, as a touched key does."""
    devtools = app.page.context.new_cdp_session(app.page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def log_out(app) -> None:
    app.page.get_by_role("button", name="Log out").click()
    app.page.wait_for_url(re.compile(r"/login/"))


def test_a_case_manager_adds_a_security_key_and_confirms_with_it_next_time(app, security_keys_here):
    plug_in_security_key(app)
    app.log_in("cm.jones")
    app.visit("/account/")
    app.page.get_by_role("link", name="Second factor: add one").click()
    app.audit("second-factor")

    app.page.get_by_role("button", name="Add a security key or passkey").click()
    expect(app.page.get_by_role("heading", name="Security keys and passkeys")).to_be_visible()
    expect(app.page.get_by_text(re.compile(r", added "))).to_be_visible()
    user = User.objects.get(username="cm.jones")
    assert WebAuthnCredential.objects.filter(user=user, confirmed=True).count() == 1

    app.page.get_by_role("button", name="Make new recovery codes").click()
    expect(app.page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert len(app.page.get_by_role("listitem").filter(has_text=re.compile(r"^\w{8}$")).all())
    app.audit("second-factor-recovery-codes")

    log_out(app)
    app.visit("/login/")
    app.page.get_by_label("Username").fill("cm.jones")
    app.page.get_by_label("Password").fill("demo-pass-2026")
    app.page.get_by_role("button", name="Log in").click()
    app.page.wait_for_url(re.compile(r"/account/second-factor/verify/"))
    app.audit("second-factor-verify")
    app.page.get_by_role("button", name="Use your security key or passkey").click()
    app.page.wait_for_url(re.compile(r"^(?!.*/second-factor/).*$"))
    expect(app.page.get_by_role("heading", level=1)).not_to_have_text("Confirm it is you")
    assert app.visit("/cases/").ok


def test_a_clinician_without_a_factor_adds_an_authenticator_app_before_anything_else(app):
    TOTPDevice.objects.filter(user__username="dr.patel").delete()
    app.visit("/login/")
    app.page.get_by_label("Username").fill("dr.patel")
    app.page.get_by_label("Password").fill("demo-pass-2026")
    app.page.get_by_role("button", name="Log in").click()
    app.page.wait_for_url(re.compile(r"/account/second-factor/"))
    expect(app.page.get_by_text("Add a second factor to go on.")).to_be_visible()

    app.page.get_by_role("link", name="Add an authenticator app").click()
    expect(app.page.get_by_role("img", name="QR code of your new key")).to_be_visible()
    app.audit("second-factor-authenticator")
    device = TOTPDevice.objects.get(user__username="dr.patel", confirmed=False)
    app.page.get_by_label("Code from the app").fill(next_code(device))
    app.page.get_by_role("button", name="Add the app").click()

    expect(app.page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    app.page.get_by_role("link", name="I have kept them").click()
    app.page.wait_for_url(re.compile(r"^(?!.*/second-factor/).*$"))
    assert app.visit("/cases/").ok
