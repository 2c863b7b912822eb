"""The second factor: who must have one, what a session reaches before confirming it,
authenticator apps, recovery codes, removing factors, and signing asking for it again."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import services
from cases.management.commands.seed_demo import DEMO_AUTHENTICATOR_KEY
from cases.models import Determination
from cases.services import second_factor
from tests.support.api import api_client
from tests.support.cast import Cast
from tests.support.determinations import complete_draft
from tests.support.factories import PASSWORD, DiagnosticFactory
from tests.support.second_factor import next_code

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

VERIFY = reverse("second-factor-verify")
SETUP = reverse("second-factor")
ADD_APP = reverse("second-factor-authenticator")


def log_in_with_password(user, address="192.0.2.10") -> Client:
    """A browser that has typed the password, and nothing more."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def add_authenticator(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    """Add an authenticator app as the pages do: the key shown, the first code typed. The
    recovery codes shown at once, if any."""
    assert client.get(ADD_APP).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ADD_APP, {"code": next_code(device)})
    assert response.status_code in (200, 302), response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    return device, re.findall(r'<li class="col">(\w+)</li>', response.content.decode())


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


# Who must have one -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["clinician", "admin"])
def test_clinicians_and_administrators_reach_nothing_until_they_add_one(cast, role):
    user = getattr(cast, role)
    client = log_in_with_password(user)

    for path in ["/", "/cases/", cast.case.get_absolute_url(), "/admin/", "/account/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == f"{SETUP}?next={path.replace('/', '%2F')}"
    page = client.get(SETUP).content.decode()
    assert "Add a second factor to go on." in page
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403
    assert api.json() == {"detail": "Confirm your second factor in the browser first."}

    _, codes = add_authenticator(client, user)

    assert len(codes) == second_factor.RECOVERY_CODE_COUNT == len(set(codes))
    assert client.get("/cases/").status_code == 200


@pytest.mark.parametrize("role", ["case_manager", "adjuster"])
def test_other_roles_go_straight_in_and_may_add_one(cast, role):
    user = getattr(cast, role)
    client = log_in_with_password(user)
    assert client.get("/cases/").status_code == 200
    assert "Second factor: add one" in client.get("/account/").content.decode()

    add_authenticator(client, user)

    again = log_in_with_password(user, address="192.0.2.11")
    response = again.get("/cases/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


def test_htmx_requests_are_sent_to_the_page_asking_for_it(cast):
    enrolled(cast.case_manager)
    client = log_in_with_password(cast.case_manager)
    response = client.get(
        "/cases/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/cases/"}
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{VERIFY}?next=%2Fcases%2F"


def test_the_rule_names_the_roles():
    assert second_factor.REQUIRED_ROLES == {"clinician", "administrator"}


# Confirming it after the password ---------------------------------------------------------


def test_a_password_alone_opens_nothing_for_a_user_with_an_authenticator(cast):
    device = enrolled(cast.clinician)
    client = log_in_with_password(cast.clinician)

    case_url = cast.case.get_absolute_url()
    response = client.get(case_url)
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next={case_url.replace('/', '%2F')}"
    # Nor may it add a factor of its own choosing.
    assert client.get(ADD_APP).url.startswith(VERIFY)
    assert client.post(reverse("second-factor-recovery-codes")).url.startswith(VERIFY)
    assert client.get(VERIFY).status_code == 200

    wrong = client.post(VERIFY, {"code": "000000", "next": case_url})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert client.get(case_url).status_code == 302

    # django-otp slows guessing down: the next try waits, even with the right code.
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        right = client.post(VERIFY, {"code": next_code(device), "next": case_url})
        assert right.status_code == 302
        assert right.url == case_url
        assert client.get(case_url).status_code == 200


def test_a_code_cannot_be_used_twice(cast):
    device = enrolled(cast.clinician)
    code = next_code(device)
    first = log_in_with_password(cast.clinician)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second = log_in_with_password(cast.clinician, address="192.0.2.11")
    assert second.post(VERIFY, {"code": code}).status_code == 400


def test_the_next_page_is_ours_only(cast):
    device = enrolled(cast.clinician)
    client = log_in_with_password(cast.clinician)
    response = client.post(VERIFY, {"code": next_code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_a_recovery_code_works_once_in_place_of_the_app(cast):
    client = log_in_with_password(cast.clinician)
    _, codes = add_authenticator(client, cast.clinician)

    later = log_in_with_password(cast.clinician, address="192.0.2.11")
    response = later.post(VERIFY, {"code": codes[0].upper(), "next": "/cases/"}, follow=True)
    assert response.status_code == 200
    assert "You used a recovery code; 9 left." in response.content.decode()

    again = log_in_with_password(cast.clinician, address="192.0.2.12")
    assert again.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert second_factor.recovery_codes_left(cast.clinician) == 9


def test_new_recovery_codes_replace_the_old(cast):
    client = log_in_with_password(cast.clinician)
    _, old = add_authenticator(client, cast.clinician)
    page = client.post(reverse("second-factor-recovery-codes")).content.decode()
    new = re.findall(r'<li class="col">(\w+)</li>', page)
    assert len(new) == 10 and not set(new) & set(old)

    later = log_in_with_password(cast.clinician, address="192.0.2.11")
    assert later.post(VERIFY, {"code": old[1]}).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        assert later.post(VERIFY, {"code": new[1]}).status_code == 302


# Adding and removing ----------------------------------------------------------------------


def test_the_authenticator_page_shows_the_key_and_its_qr_code(cast):
    client = log_in_with_password(cast.case_manager)
    page = client.get(ADD_APP).content.decode()
    device = TOTPDevice.objects.get(user=cast.case_manager, confirmed=False)
    assert second_factor.authenticator_key(device) in page
    qr = client.get(reverse("second-factor-authenticator-qr"))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") and b"<svg" in qr.content
    # The page shows the same key until it is confirmed.
    assert client.get(ADD_APP).status_code == 200
    assert TOTPDevice.objects.filter(user=cast.case_manager).count() == 1


def test_a_wrong_first_code_adds_nothing(cast):
    client = log_in_with_password(cast.case_manager)
    client.get(ADD_APP)
    response = client.post(ADD_APP, {"code": "123"})
    assert response.status_code == 400
    assert "That code does not match" in response.content.decode()
    assert not second_factor.has_second_factor(cast.case_manager)


def test_a_clinician_keeps_their_last_factor(cast):
    client = log_in_with_password(cast.clinician)
    device, _ = add_authenticator(client, cast.clinician)
    remove = reverse("second-factor-remove", args=["authenticator", device.pk])

    response = client.post(remove, follow=True)

    assert "Not removed: Clinicians must keep a second factor" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_case_manager_may_remove_theirs_and_the_recovery_codes_go_with_it(cast):
    client = log_in_with_password(cast.case_manager)
    device, _ = add_authenticator(client, cast.case_manager)

    client.post(reverse("second-factor-remove", args=["authenticator", device.pk]))

    assert not second_factor.has_second_factor(cast.case_manager)
    assert second_factor.recovery_codes_left(cast.case_manager) == 0


def test_nobody_removes_anothers_factor(cast):
    device = enrolled(cast.clinician)
    client = log_in_with_password(cast.case_manager)
    url = reverse("second-factor-remove", args=["authenticator", device.pk])
    assert client.post(url).status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# Signing asks again -----------------------------------------------------------------------


@pytest.fixture
def complete(cast: Cast) -> Determination:
    DiagnosticFactory(case=cast.case)
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    return complete_draft(draft, cast.clinician)


def sign(client, determination):
    return client.post(
        reverse("determination-sign", args=[determination.pk]),
        {"password": PASSWORD, "confirm": "on"},
    )


def test_signing_asks_for_the_second_factor_again_after_fifteen_minutes(cast, complete):
    device = enrolled(cast.clinician)
    start = timezone.now()
    review = reverse("determination-review", args=[complete.pk])
    with time_machine.travel(start, tick=False):
        client = log_in_with_password(cast.clinician)
        assert client.post(VERIFY, {"code": next_code(device)}).status_code == 302

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        page = client.get(review).content.decode()
        assert "Signing asks for your second factor again" in page
        assert 'name="password"' not in page
        response = sign(client, complete)
        assert response.status_code == 302
        assert response.url == f"{VERIFY}?next={review.replace('/', '%2F')}"
        complete.refresh_from_db()
        assert complete.status == Determination.Status.DRAFT

        assert client.post(VERIFY, {"code": next_code(device), "next": review}).url == review
        assert 'name="password"' in client.get(review).content.decode()
        assert sign(client, complete).url == complete.get_absolute_url()
    complete.refresh_from_db()
    assert complete.status == Determination.Status.SIGNED


def test_signing_within_fifteen_minutes_asks_only_for_the_password(cast, complete):
    device = enrolled(cast.clinician)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = log_in_with_password(cast.clinician)
        client.post(VERIFY, {"code": next_code(device)})
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert sign(client, complete).url == complete.get_absolute_url()


# The API ----------------------------------------------------------------------------------


def test_api_tokens_are_not_sessions_and_are_not_asked(cast):
    assert api_client(cast.clinician).get("/api/v1/cases/").status_code == 200


# The demo ---------------------------------------------------------------------------------


def test_the_demo_prints_the_key_and_the_code_its_authenticator_shows(cast):
    TOTPDevice.objects.create(
        user=cast.clinician, name="Demo authenticator", key=DEMO_AUTHENTICATOR_KEY
    )
    printed = io.StringIO()
    call_command("demo_logins", stdout=printed)
    code = io.StringIO()
    call_command("demo_code", stdout=code)

    assert "JVGU SICU OJQW G23F OIQG IZLN N4QD EMBS" in printed.getvalue()
    assert "dr.chen" in printed.getvalue()
    client = log_in_with_password(cast.clinician)
    assert client.post(VERIFY, {"code": code.getvalue().strip()}).status_code == 302
