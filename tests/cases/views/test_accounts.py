"""Accounts: Argon2, password rules, lockout and unlock, idle sessions, deactivation."""

import re
import runpy
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import UserSession
from mmi_tracker import settings as project_settings
from tests.support.cast import client_for
from tests.support.factories import PASSWORD, ClinicianFactory

NEW = "a long and unusual passphrase"


def attempt_login(username, password, address="192.0.2.10"):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_new_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert make_password("a long enough passphrase").startswith("argon2$")


@pytest.mark.parametrize(
    "password,message",
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("4815162342", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(password, message):
    with pytest.raises(ValidationError, match=message):
        validate_password(password)


def test_correct_password_logs_in(cast):
    response = attempt_login(cast.clinician.username, PASSWORD)
    assert response.status_code == 302


def test_five_failures_lock_the_username_from_that_address_only(cast):
    username = cast.clinician.username
    for _ in range(4):
        assert attempt_login(username, "wrong", address="192.0.2.4").status_code == 200
    # The fifth failure locks, and says so.
    assert attempt_login(username, "wrong", address="192.0.2.4").status_code == 429
    locked = attempt_login(username, PASSWORD, address="192.0.2.4")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed attempts" in page
    assert "ask an administrator to unlock" in page
    assert "30 minutes" in page
    # Whoever guessed cannot lock the user out: from their own address they log in.
    assert attempt_login(username, PASSWORD, address="198.51.100.1").status_code == 302


def test_failures_spread_over_addresses_lock_none_of_them(cast):
    username = cast.clinician.username
    for n in range(8):
        assert attempt_login(username, "wrong", address=f"192.0.2.{n}").status_code == 200
    assert attempt_login(username, PASSWORD, address="192.0.2.9").status_code == 302


def _through_proxy(client_address: str, username: str, password: str):
    """A login as the load balancer passes it on: from its own address, the client's
    appended to what the client itself sent in X-Forwarded-For."""
    return Client(
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.250, {client_address}"
    ).post(reverse("login"), {"username": username, "password": password})


def test_behind_a_trusted_proxy_one_clients_failures_lock_only_that_client(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        _through_proxy("192.0.2.66", f"guess{n}", "wrong")
    assert _through_proxy("192.0.2.66", cast.case_manager.username, PASSWORD).status_code == 429
    assert _through_proxy("192.0.2.67", cast.case_manager.username, PASSWORD).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.66"}


def test_without_trusted_proxies_the_forwarded_header_is_ignored(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    _through_proxy("192.0.2.66", "guess", "wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.2"}


def test_five_failures_lock_the_address_for_every_username(cast):
    for n in range(5):
        attempt_login(f"guess{n}", "wrong", address="203.0.113.66")
    assert attempt_login(cast.case_manager.username, PASSWORD, "203.0.113.66").status_code == 429
    assert attempt_login(cast.case_manager.username, PASSWORD, "203.0.113.67").status_code == 302


def test_four_failures_then_success_do_not_lock(cast):
    for _ in range(4):
        attempt_login(cast.clinician.username, "wrong")
    assert attempt_login(cast.clinician.username, PASSWORD).status_code == 302
    # A success clears the count.
    for _ in range(4):
        attempt_login(cast.clinician.username, "wrong")
    assert attempt_login(cast.clinician.username, PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(cast):
    for _ in range(5):
        attempt_login(cast.clinician.username, "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert attempt_login(cast.clinician.username, PASSWORD).status_code == 302


def test_administrator_unlocks_a_user_with_the_command(cast):
    for _ in range(5):
        attempt_login(cast.clinician.username, "wrong")
    assert attempt_login(cast.clinician.username, PASSWORD).status_code == 429
    call_command("axes_reset_username", cast.clinician.username)
    assert attempt_login(cast.clinician.username, PASSWORD).status_code == 302


def test_administrator_unlocks_a_user_in_the_admin(cast):
    for _ in range(5):
        attempt_login(cast.clinician.username, "wrong", address="192.0.2.200")
    admin = client_for(cast.admin)
    attempts = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert attempts.status_code == 200
    assert cast.clinician.username in attempts.content.decode()
    ids = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert attempt_login(cast.clinician.username, PASSWORD, "192.0.2.200").status_code == 302


def test_session_ends_after_thirty_idle_minutes(cast):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(
            reverse("login"), {"username": cast.case_manager.username, "password": PASSWORD}
        )
        assert client.get(reverse("case-list")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(reverse("case-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_activity_keeps_the_session_alive(cast):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(
            reverse("login"), {"username": cast.case_manager.username, "password": PASSWORD}
        )
    for minutes in (20, 40, 60):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("case-list")).status_code == 200


def test_idle_time_is_configurable(monkeypatch):
    assert project_settings.SESSION_COOKIE_AGE == 30 * 60
    assert project_settings.SESSION_SAVE_EVERY_REQUEST is True
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "10")
    assert runpy.run_path(project_settings.__file__)["SESSION_COOKIE_AGE"] == 10 * 60


def test_deactivating_a_user_ends_their_session_at_once(cast):
    client = client_for(cast.clinician)
    assert client.get(cast.case.get_absolute_url()).status_code == 200
    admin = client_for(cast.admin)
    form = admin.get(reverse("admin:cases_user_change", args=[cast.clinician.pk]))
    data = {
        key: value
        for key, value in form.context["adminform"].form.initial.items()
        if value is not None
    }
    data.update(
        username=cast.clinician.username,
        role=cast.clinician.role,
        is_active="",
        date_joined_0=timezone.localtime(cast.clinician.date_joined).strftime("%Y-%m-%d"),
        date_joined_1="00:00:00",
    )
    data.pop("last_login", None)
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("password", None)
    data.pop("organisation", None)
    response = admin.post(reverse("admin:cases_user_change", args=[cast.clinician.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    cast.clinician.refresh_from_db()
    assert cast.clinician.is_active is False
    after = client.get(cast.case.get_absolute_url())
    assert after.status_code == 302
    assert after.url.startswith(reverse("login"))


def test_a_deactivated_user_cannot_log_in_again(cast):
    cast.clinician.is_active = False
    cast.clinician.save()
    response = attempt_login(cast.clinician.username, PASSWORD)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_older_password_hashes_are_upgraded_to_argon2_at_login(db, settings):
    """Hashes made before Argon2 are upgraded at the next successful login."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = ClinicianFactory()
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    assert attempt_login(user.username, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


# Changing and resetting a password


def test_a_user_changes_their_password_and_their_other_sessions_end(cast):
    here, elsewhere = client_for(cast.clinician), client_for(cast.clinician)
    url = reverse("password_change")
    weak = here.post(
        url,
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert "too common" in weak.content.decode()
    wrong = here.post(url, {"old_password": "guess", "new_password1": NEW, "new_password2": NEW})
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    done = here.post(url, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == reverse("password_change_done")
    assert here.get(reverse("home")).status_code == 200  # this session goes on
    assert elsewhere.get(reverse("home")).status_code == 302  # the other one is over
    assert attempt_login(cast.clinician.username, NEW).status_code == 302


def _reset_link(mailbox) -> str:
    [message] = mailbox
    return re.search(r"https?://[^/\s]+(/password/reset/\S+/)", message.body).group(1)


def test_a_reset_link_sets_a_new_password_once(cast, mailoutbox):
    cast.clinician.email = "emily.chen@clinic.example"
    cast.clinician.save()
    forgotten = _signed_in(cast.clinician, "192.0.2.10", "A browser left signed in")
    sent = Client().post(reverse("password_reset"), {"email": "emily.chen@clinic.example"})
    assert sent.url == reverse("password_reset_done")
    [message] = mailoutbox
    assert message.to == ["emily.chen@clinic.example"]
    # No health data: nothing of the user's cases travels by email.
    assert cast.case.claim_number not in message.body
    assert cast.case.patient.last_name not in message.body
    link = _reset_link(mailoutbox)

    browser = Client()
    form = browser.get(link, follow=True)
    assert "Set a new password" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    assert browser.post(set_url, {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    # Every session of the account is over, and gone from its list.
    assert not UserSession.objects.filter(user=cast.clinician).exists()
    assert forgotten.get(reverse("home")).status_code == 302
    assert attempt_login(cast.clinician.username, NEW).status_code == 302
    used = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in used


def test_a_reset_link_expires_after_an_hour(cast, mailoutbox):
    cast.clinician.email = "emily.chen@clinic.example"
    cast.clinician.save()
    Client().post(reverse("password_reset"), {"email": "emily.chen@clinic.example"})
    link = _reset_link(mailoutbox)
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        page = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in page


def test_an_unknown_address_gets_the_same_answer_and_no_email(db, mailoutbox):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


# Where a user is signed in


def _signed_in(user, address: str, browser: str) -> Client:
    client = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=browser)
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_user_sees_where_they_are_signed_in_and_ends_the_other_sessions(cast):
    laptop = _signed_in(cast.case_manager, "192.0.2.10", "Firefox on a laptop")
    phone = _signed_in(cast.case_manager, "198.51.100.7", "Safari on a phone")
    _signed_in(cast.clinician, "203.0.113.5", "Someone else's browser")

    page = laptop.get(reverse("account")).content.decode()
    assert "Firefox on a laptop" in page and "Safari on a phone" in page
    assert "198.51.100.7" in page
    assert "Someone else's browser" not in page
    assert page.count('text-bg-primary">This device') == 1

    done = laptop.post(reverse("sessions-end"), follow=True)
    assert "Signed out of 1 other session." in done.content.decode()
    assert phone.get(reverse("home")).status_code == 302  # to the login page
    assert laptop.get(reverse("home")).status_code == 200
    page = laptop.get(reverse("account")).content.decode()
    assert "Safari on a phone" not in page


def test_logging_out_drops_the_session_from_the_list(cast):
    laptop = _signed_in(cast.case_manager, "192.0.2.10", "Firefox on a laptop")
    phone = _signed_in(cast.case_manager, "198.51.100.7", "Safari on a phone")
    phone.post(reverse("logout"))
    assert "Safari on a phone" not in laptop.get(reverse("account")).content.decode()


def test_changing_the_password_keeps_this_session_only(cast):
    laptop = _signed_in(cast.case_manager, "192.0.2.10", "Firefox on a laptop")
    phone = _signed_in(cast.case_manager, "198.51.100.7", "Safari on a phone")
    laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    page = laptop.get(reverse("account")).content.decode()
    assert "Firefox on a laptop" in page and 'text-bg-primary">This device' in page
    assert "Safari on a phone" not in page
    assert phone.get(reverse("home")).status_code == 302
