"""The webhooks' rules without a database: the retry schedule, the signature, and which
resolved addresses may be called."""

import pytest

from notifications.webhooks import schedule, signing
from notifications.webhooks.addresses import address_refusal


def test_five_tries_each_wait_four_times_the_last():
    waits = [schedule.wait_after(attempt) for attempt in range(1, schedule.ATTEMPTS + 1)]
    assert waits == [30, 120, 480, 1920, None]


def test_a_signature_verifies_and_a_changed_body_or_an_old_call_does_not():
    body = b'{"event":"certification.signed"}'
    headers = signing.headers("s3cret" * 8, 1_700_000_000, body)
    stamp, signed = headers["X-MMI-Timestamp"], headers["X-MMI-Signature"]
    assert signed.startswith("sha256=")
    assert signing.verify("s3cret" * 8, body, stamp, signed, now=1_700_000_100)
    assert not signing.verify("s3cret" * 8, body + b" ", stamp, signed, now=1_700_000_100)
    assert not signing.verify("another" * 8, body, stamp, signed, now=1_700_000_100)
    # Replayed ten minutes later: refused, and a new timestamp does not match the signature.
    assert not signing.verify("s3cret" * 8, body, stamp, signed, now=1_700_000_600)
    assert not signing.verify("s3cret" * 8, body, "1700000600", signed, now=1_700_000_600)
    assert not signing.verify("s3cret" * 8, body, "soon", signed, now=1_700_000_000)


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("10.1.2.3", "a private address"),
        ("192.168.0.10", "a private address"),
        ("172.20.0.1", "a private address"),
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("::ffff:10.0.0.1", "a private address"),
        ("100.64.0.1", "not on the public internet"),
        ("0.0.0.0", "a loopback address"),
    ],
)
def test_addresses_off_the_public_internet_are_refused(settings, address, words):
    settings.WEBHOOK_ALLOWED_LOCAL_HOSTS = []
    refusal = address_refusal("hooks.example.com", address)
    assert words in refusal and "hooks.example.com resolves to" in refusal


def test_a_public_address_may_be_called_and_loopback_only_for_a_named_local_host(settings):
    settings.WEBHOOK_ALLOWED_LOCAL_HOSTS = ["127.0.0.1"]
    assert address_refusal("hooks.example.com", "93.184.216.34") == ""
    assert address_refusal("127.0.0.1", "127.0.0.1") == ""
    assert address_refusal("127.0.0.1", "10.0.0.1") != ""
    assert address_refusal("hooks.example.com", "127.0.0.1") != ""
