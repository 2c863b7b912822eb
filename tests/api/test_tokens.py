"""Token lifecycle: an administrator issues a token to a user; it can be revoked; a revoked,
unknown or malformed token answers 401."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.support.api import token_for
from tests.support.cast import client_for


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def issue(username: str) -> str:
    out = StringIO()
    call_command("issue_api_token", username, "--name", "Guidewire", stdout=out)
    return out.getvalue().strip()


def test_a_token_issued_by_the_command_lets_a_system_act_as_that_user(cast):
    secret = issue(cast.adjuster.username)
    response = bearer(secret).get(reverse("api:case-list"))
    assert response.status_code == 200
    assert [case["id"] for case in response.json()["results"]] == [cast.case.pk]


def test_only_a_digest_of_the_token_is_stored(cast):
    secret = issue(cast.adjuster.username)
    token = ApiToken.objects.get(user=cast.adjuster)
    assert secret not in {token.digest, token.prefix, token.name}
    assert token.digest == ApiToken.digest_of(secret)
    assert token.prefix == secret[:8]


def test_a_revoked_token_answers_401(cast):
    secret = issue(cast.adjuster.username)
    call_command("revoke_api_token", secret[:8], stdout=StringIO())
    response = bearer(secret).get(reverse("api:case-list"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoking_twice_says_so(cast):
    secret = issue(cast.adjuster.username)
    call_command("revoke_api_token", secret, stdout=StringIO())
    with pytest.raises(CommandError, match="was revoked"):
        call_command("revoke_api_token", secret, stdout=StringIO())


def test_issuing_to_an_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="No user named"):
        issue("nobody")


def test_a_token_of_a_deactivated_user_answers_401(cast):
    secret = token_for(cast.adjuster)
    cast.adjuster.is_active = False
    cast.adjuster.save()
    assert bearer(secret).get(reverse("api:case-list")).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer not-a-token", "Bearer", "Bearer two words", "Bearer caf\u00e9"]
)
def test_unknown_or_malformed_tokens_answer_401(cast, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    response = client.get(reverse("api:case-list"))
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_no_credentials_answers_401_not_a_login_redirect(cast):
    response = APIClient().get(reverse("api:case-list"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_browser_session_works_too(cast):
    response = client_for(cast.case_manager).get(reverse("api:case-list"))
    assert response.status_code == 200


def test_use_is_recorded(cast):
    secret = token_for(cast.adjuster)
    bearer(secret).get(reverse("api:case-list"))
    assert ApiToken.objects.get(user=cast.adjuster).last_used_at is not None


def test_an_administrator_issues_a_token_in_the_admin_and_sees_it_once(cast):
    client = client_for(cast.admin)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"user": cast.adjuster.pk, "name": "Origami"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.adjuster)
    secret = response.context["secret"]
    assert token.digest == ApiToken.digest_of(secret)
    assert secret in response.content.decode()
    assert bearer(secret).get(reverse("api:case-list")).status_code == 200
    change_page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert secret not in change_page.content.decode()


def test_an_administrator_revokes_tokens_with_the_admin_action(cast):
    secret = token_for(cast.adjuster)
    token = ApiToken.objects.get(user=cast.adjuster)
    response = client_for(cast.admin).post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert "1 token(s) revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == cast.admin
    assert bearer(secret).get(reverse("api:case-list")).status_code == 401


def test_tokens_are_never_deleted(cast):
    token_for(cast.adjuster)
    token = ApiToken.objects.get(user=cast.adjuster)
    response = client_for(cast.admin).get(reverse("admin:api_apitoken_delete", args=[token.pk]))
    assert response.status_code == 403


def test_a_token_never_begins_with_a_dash_so_it_can_be_typed_to_revoke_it(cast, monkeypatch):
    drawn = iter(["-starts-like-an-option", "Abcdefgh-the-next-one"])
    monkeypatch.setattr("api.services.secrets.token_urlsafe", lambda nbytes: next(drawn))

    secret = issue(cast.adjuster.username)

    assert secret == "Abcdefgh-the-next-one"
    call_command("revoke_api_token", secret[:8], stdout=StringIO())
    assert ApiToken.objects.get(user=cast.adjuster).revoked_at is not None
