"""Security keys and passkeys are bound to the domain users reach the app at."""

import pytest
from django.core.management import call_command

from mmi_tracker.settings import webauthn_relying_party


@pytest.mark.parametrize(
    ("site_url", "domain", "origins"),
    [
        ("https://mmi.example.com", "mmi.example.com", ["https://mmi.example.com"]),
        ("https://mmi.example.com:8443", "mmi.example.com", ["https://mmi.example.com:8443"]),
        # Browsers refuse an IP address as the domain: the same port on localhost.
        ("http://127.0.0.1:8000", "localhost", ["http://localhost:8000"]),
        ("http://127.0.0.1:8080", "localhost", ["http://localhost:8080"]),
        ("http://0.0.0.0:9000", "localhost", ["http://localhost:9000"]),
        ("http://[::1]:8000", "localhost", ["http://localhost:8000"]),
        ("http://10.1.2.3", "localhost", ["http://localhost"]),
    ],
)
def test_keys_belong_to_the_sites_domain_or_to_localhost_at_an_address(site_url, domain, origins):
    assert webauthn_relying_party(site_url) == (domain, origins)


def test_the_demo_logins_name_where_security_keys_work(settings, capsys):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost:8080"]
    call_command("demo_logins")
    assert "Security keys and passkeys work at http://localhost:8080." in capsys.readouterr().out
