"""The OpenAPI schema and its documentation page, the rate limit, and the error shape."""

from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from tests.support.api import api_client, token_for
from tests.support.cast import client_for


def test_the_schema_is_openapi_3_and_describes_every_endpoint(cast):
    response = api_client(cast.adjuster).get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/cases/" in schema["paths"]
    assert "/api/fhir/EpisodeOfCare/{case_id}/$everything" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    listing = schema["paths"]["/api/v1/cases/"]["get"]["responses"]
    assert {"200", "401", "429", "default"} <= set(listing)


def test_the_schema_needs_credentials(db):
    assert client_for(None).get(reverse("api:schema")).status_code == 401


def test_the_documentation_page_serves_its_assets_from_our_static_files(cast):
    response = client_for(cast.clinician).get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page  # its start-up script is a file of its own
    assert "<style>" not in page  # our content security policy allows no inline style
    assert "/static/css/api-docs" in page


def test_anonymous_visitors_of_the_documentation_are_sent_to_log_in(db):
    response = client_for(None).get(reverse("api:docs"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_over_the_rate_limit_a_token_gets_429_with_retry_after(cast, settings):
    settings.API_RATE_LIMIT = "3/minute"
    cache.clear()
    client = api_client(cast.adjuster)
    statuses = [client.get(reverse("api:case-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(reverse("api:case-list"))
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "throttled"
    # Each token has its own budget.
    assert api_client(cast.case_manager).get(reverse("api:case-list")).status_code == 200


def test_an_address_sending_bad_tokens_is_slowed_down_and_others_are_not(cast, settings):
    settings.API_TOKEN_FAILURE_LIMIT = "10/minute"
    guesser = APIClient(REMOTE_ADDR="192.0.2.66")
    statuses = []
    for n in range(150):
        guesser.credentials(HTTP_AUTHORIZATION=f"Bearer guess-{n}")
        statuses.append(guesser.get(reverse("api:case-list")).status_code)
    assert statuses[:10] == [401] * 10
    assert set(statuses[10:]) == {429}
    refused = guesser.get(reverse("api:case-list"))
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["code"] == "throttled"
    # Once throttled, the address is refused before any token it sends is looked up.
    guesser.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(cast.adjuster)}")
    assert guesser.get(reverse("api:case-list")).status_code == 429
    # Another address with a good token is served; good tokens never count as failures.
    other = APIClient(REMOTE_ADDR="192.0.2.67")
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(cast.case_manager)}")
    assert {other.get(reverse("api:case-list")).status_code for _ in range(15)} == {200}


def test_errors_share_one_shape(cast):
    client = api_client(cast.adjuster)
    for response in [
        client.get(reverse("api:case-detail", args=[cast.case.pk + 1000])),
        client.delete(reverse("api:case-list")),
        client.post(reverse("api:treatment-list", args=[cast.case.pk]), {}, format="json"),
        client.get("/api/v1/nowhere/"),
    ]:
        assert response["Content-Type"].startswith("application/json")
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"}
    assert client.delete(reverse("api:case-list")).status_code == 405
