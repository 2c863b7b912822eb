"""Headers and settings: CSP with no inline script or style, framing refused, secure cookies
and HSTS with DEBUG off, and `manage.py check --deploy` clean."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.support.cast import client_for
from tests.support.factories import PASSWORD
from tests.support.permissions import ROWS

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def test_pages_carry_a_strict_content_security_policy(cast):
    response = client_for(cast.clinician).get(cast.case.get_absolute_url())
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_pages_refuse_framing_sniffing_and_cross_site_referrers(cast):
    response = client_for(cast.clinician).get(cast.case.get_absolute_url())
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_hsts_is_sent_over_https_with_debug_off(cast):
    response = client_for(cast.clinician).get(reverse("case-list"), secure=True)
    hsts = response.headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_plain_http_is_redirected_to_https_in_production(cast, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client_for(cast.clinician).get(reverse("case-list"))
    assert response.status_code == 301
    assert response.url.startswith("https://")


def test_session_and_csrf_cookies_are_secure_and_http_only(cast, client):
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        reverse("login"),
        {"username": cast.clinician.username, "password": PASSWORD},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def _main_pages():
    """(url name, role) for every page of the permission matrix that some role may GET."""
    for name, row in sorted(ROWS.items()):
        if row.method != "get":
            continue
        roles = [role for role, status in row.expect.items() if status == 200]
        if roles:
            yield pytest.param(name, roles[0], id=name)


@pytest.mark.parametrize("name,role", list(_main_pages()))
def test_page_needs_no_inline_script_style_or_event_handler(name, role, cast):
    row = ROWS[name]
    response = client_for(cast.roles()[role]).get(
        reverse(name, kwargs=row.kwargs(cast)), row.data(cast)
    )
    assert response.status_code == 200
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    page = response.content.decode()
    assert not INLINE_SCRIPT.search(page), INLINE_SCRIPT.search(page).group(0)
    assert not INLINE_STYLE.search(page), page[INLINE_STYLE.search(page).start() :][:200]
    assert not EVENT_HANDLER.search(page), EVENT_HANDLER.search(page).group(0)


def test_lockout_page_needs_no_inline_script_or_style(cast, client):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 429
    assert not INLINE_SCRIPT.search(page)
    assert not INLINE_STYLE.search(page)


def test_check_deploy_is_clean_with_debug_off_and_a_real_secret(signing_ca_dir):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "mmi.example.org",
        "SIGNING_CA_DIR": str(signing_ca_dir),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _run(*command: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def deploy_check_with_the_development_key() -> subprocess.CompletedProcess:
    """`check --deploy` with DEBUG off and the development key: the same for both servers."""
    return _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", DEBUG="0")


@pytest.mark.parametrize("server", ["mmi_tracker.wsgi", "mmi_tracker.asgi"])
def test_the_app_refuses_to_start_with_debug_off_and_the_development_key(
    server, deploy_check_with_the_development_key
):
    result = _run("-c", f"import {server}", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr
    deploy = deploy_check_with_the_development_key
    assert deploy.returncode != 0
    assert "security.W009" in deploy.stderr + deploy.stdout


def test_commands_that_serve_nothing_need_no_secret():
    result = _run("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


@pytest.mark.parametrize(
    "path",
    ["/", "/cases/", "/api/v1/cases/", "/login/", "/no-such-page/", "/time-to-mmi/"],
)
def test_no_response_with_case_data_is_kept_by_a_cache(path, cast):
    response = client_for(cast.case_manager).get(path)
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_the_case_page_is_not_kept_by_a_cache(cast):
    client = client_for(cast.case_manager)
    assert "no-store" in client.get(cast.case.get_absolute_url())["Cache-Control"]
