"""The client's address behind trusted proxies, for the lockout and the access log."""

import pytest
from django.test import RequestFactory

from audit.models import AccessLogEntry
from mmi_tracker.addresses import client_address
from tests.support.cast import client_for


def request(forwarded: str | None = None):
    headers = {"REMOTE_ADDR": "10.0.0.2"}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "192.0.2.7", "10.0.0.2"),  # nobody trusted: the header is the client's word
        (1, "192.0.2.7", "192.0.2.7"),
        (1, "203.0.113.250, 192.0.2.7", "192.0.2.7"),  # what the client wrote comes first
        (2, "203.0.113.250, 192.0.2.7, 10.0.0.1", "192.0.2.7"),
        (2, "192.0.2.7", "10.0.0.2"),  # shorter than the chain: not through it
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
        (1, None, "10.0.0.2"),
    ],
)
def test_the_client_is_as_many_entries_from_the_end_as_there_are_proxies(
    settings, proxies, forwarded, address
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request(forwarded)) == address


def test_the_access_log_records_the_client_behind_the_proxy(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = client_for(cast.case_manager)
    client.get(
        cast.case.get_absolute_url(),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.250, 192.0.2.7",
    )
    entry = AccessLogEntry.objects.filter(case=cast.case).latest("pk")
    assert entry.client_address == "192.0.2.7"
