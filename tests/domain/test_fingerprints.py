"""The fingerprint of what a signature certifies: the same content gives the same hash,
whatever the key order or the time zone a moment was read in; any change gives another."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from cases.domain.fingerprints import fingerprint

SIGNED = datetime(2026, 3, 2, 22, 5, 7, 123456, tzinfo=UTC)
CONTENT = {
    "case_id": 7,
    "mmi_date": date(2026, 3, 1),
    "impairment_rating": 12,
    "signed_at": SIGNED,
    "wage": Decimal("912.50"),
    "steps": {"clinical": {"history": "Lifted a crate."}},
}


def test_the_same_content_in_another_order_or_zone_has_the_same_fingerprint():
    central = timezone(timedelta(hours=-6))
    reordered = dict(reversed(list(CONTENT.items())))
    reordered["signed_at"] = SIGNED.astimezone(central)
    assert fingerprint(reordered) == fingerprint(CONTENT)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("impairment_rating", 13),
        ("mmi_date", date(2026, 3, 2)),
        ("signed_at", SIGNED + timedelta(microseconds=1)),
        ("wage", Decimal("912.51")),
        ("steps", {"clinical": {"history": "Lifted a crate!"}}),
    ],
)
def test_any_change_gives_another_fingerprint(key, value):
    assert fingerprint({**CONTENT, key: value}) != fingerprint(CONTENT)


def test_it_is_a_sha256_in_hex():
    assert len(fingerprint(CONTENT)) == 64
    assert int(fingerprint(CONTENT), 16) >= 0
