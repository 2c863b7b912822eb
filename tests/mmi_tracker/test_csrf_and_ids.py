"""CSRF on every state-changing URL, and IDs that cannot be walked.

The walk covers every URL pattern in the URLconf (the REST API included) and every model
the admin registers, so a new URL is covered the day it is added."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.support.cast import client_for
from tests.support.factories import PASSWORD, TreatmentFactory
from tests.support.permissions import ROWS, Row

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test


def every_pattern(resolver=None, prefix="", namespace=""):
    """(name, route regex, converters) for every URL pattern outside the admin."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from every_pattern(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield (
                f"{namespace}{pattern.name}" if pattern.name else None,
                prefix + str(pattern.pattern),
                pattern.pattern.converters,
            )


def url_for(name, route, converters, cast) -> str:
    if name in ROWS:
        return reverse(name, kwargs=ROWS[name].kwargs(cast))
    values = {}
    for key, converter in converters.items():
        kind = type(converter).__name__
        values[key] = str(cast.case.pk) if kind == "IntConverter" else "treatments"
    # re_path patterns: any named group gets a plain value.
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "")


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


PATTERNS = sorted(
    {(name or route, route) for name, route, _ in every_pattern()}, key=lambda item: item[0]
)


@pytest.mark.parametrize("label,route", PATTERNS, ids=[label for label, _ in PATTERNS])
def test_post_without_csrf_token_is_refused_and_changes_nothing(label, route, cast):
    name, _, converters = next(p for p in every_pattern() if (p[0] or p[1]) == label)
    url = url_for(name, route, converters, cast)
    data = ROWS[name].data(cast) if name in ROWS else {}
    clients = []
    for user in (cast.clinician, cast.case_manager, cast.admin):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        clients.append(client)
    # A view exempt from Django's CSRF check (the REST API's, which check it themselves for
    # session users) may also answer that there is nothing to post to; it changes nothing.
    allowed = {403, 404, 405} if getattr(resolve(url).func, "csrf_exempt", False) else {403}
    before = model_counts()
    for client in clients:
        response = client.post(url, data)
        assert response.status_code in allowed, (url, response.status_code)
    assert model_counts() == before


def test_login_without_csrf_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": cast.clinician.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_a_refused_form_says_why_in_the_sites_own_page_with_a_way_back(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.case_manager)
    response = client.post(reverse("case-edit", args=[cast.case.pk]), {"claim_number": "X"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>This form has expired</h1>" in page
    assert "Nothing was saved. Go back, reload the page and send the form again." in page
    assert f'href="{reverse("home")}"' in page
    assert "CSRF" not in page  # Django's reason is for the log, not the reader


def test_the_same_post_with_its_token_goes_through(cast):
    """The control: the refusal above is the missing token, not the data."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.clinician)
    url = reverse("record-add", args=[cast.case.pk, "treatments"])
    data = {"kind": "pt", "description": "Core stability", "start_date": "2026-01-05"}
    assert client.post(url, data).status_code == 403
    token = client.get(url).context["csrf_token"]
    assert client.post(url, {**data, "csrfmiddlewaretoken": str(token)}).status_code == 302
    assert cast.case.treatments.filter(description="Core stability").exists()


ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=[m._meta.label for m in ADMIN_MODELS])
def test_admin_posts_without_csrf_token_are_refused(model, cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    info = (model._meta.app_label, model._meta.model_name)
    before = model_counts()
    for url in (
        reverse("admin:{}_{}_add".format(*info)),
        reverse("admin:{}_{}_changelist".format(*info)),
    ):
        assert client.post(url, {"action": "delete_selected", "post": "yes"}).status_code == 403
    assert model_counts() == before


def _with_ids(kwargs: dict, replace: int) -> dict:
    return {k: (replace if isinstance(v, int) else v) for k, v in kwargs.items()}


# The pages reached with a record ID in their URL (the rows that give URL kwargs; a password
# reset link's are a user's encoded id and a signed token, a patient's questionnaire link
# is a token alone, and the person search names a role, not a record).
NO_RECORD_ID = {
    "password_reset_confirm",
    "patient_links:start",
    "patient_links:send",
    "person-search",
}
ID_ROWS = sorted(
    name
    for name, row in ROWS.items()
    if row.method == "get" and row.kwargs is not Row.kwargs and name not in NO_RECORD_ID
)


@pytest.mark.parametrize("name", ID_ROWS)
def test_another_cases_ids_answer_exactly_like_ids_that_do_not_exist(name, cast):
    row = ROWS[name]
    kwargs = row.kwargs(cast)
    assert any(isinstance(value, int) for value in kwargs.values())
    client = client_for(cast.other_clinician)
    hidden = client.get(reverse(name, kwargs=kwargs))
    missing = client.get(reverse(name, kwargs=_with_ids(kwargs, 987_654_321)))
    assert hidden.status_code == missing.status_code == 404
    normalise = re.compile(rb"\d+")
    assert normalise.sub(b"#", hidden.content) == normalise.sub(b"#", missing.content)


def test_a_record_id_of_another_case_answers_404_through_a_visible_case(cast):
    foreign = TreatmentFactory()
    client = client_for(cast.clinician)
    through_visible = client.get(
        reverse("record-edit", args=[cast.case.pk, "treatments", foreign.pk])
    )
    missing = client.get(reverse("record-edit", args=[cast.case.pk, "treatments", 987_654_321]))
    assert through_visible.status_code == missing.status_code == 404
    assert through_visible.content == missing.content
