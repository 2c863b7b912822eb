"""The link's and the plan's rules (patient_links/domain.py), without a database."""

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from patient_links import domain
from patient_links.domain import Completion, LinkState

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
SENT = NOW - timedelta(days=1)
EXPIRES = SENT + timedelta(days=7)


def test_the_rules_import_no_django():
    tree = ast.parse(Path(domain.__file__).read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if name.split(".")[0] == "django"]


def test_a_token_is_long_random_and_stored_only_as_its_digest():
    tokens = {domain.new_token() for _ in range(50)}
    assert len(tokens) == 50
    token = tokens.pop()
    assert domain.is_token_shaped(token)
    digest = domain.token_digest(token)
    assert len(digest) == 64 and token not in digest
    assert domain.token_digest(token) == digest


@pytest.mark.parametrize("token", ["", "short", "x" * 42, "x" * 44, "a" * 42 + "/", "a" * 42 + "%"])
def test_anything_not_shaped_like_a_token_is_refused_unread(token):
    assert not domain.is_token_shaped(token)


@pytest.mark.parametrize(
    ("opened", "submitted", "now", "state"),
    [
        (None, None, NOW, LinkState.SENT),
        (NOW, None, NOW, LinkState.OPENED),
        (NOW, NOW, NOW, LinkState.COMPLETED),
        (None, None, EXPIRES, LinkState.EXPIRED),
        (NOW, None, EXPIRES + timedelta(seconds=1), LinkState.EXPIRED),
        # Submitted before it expired: completed for ever.
        (NOW, NOW, EXPIRES + timedelta(days=30), LinkState.COMPLETED),
    ],
)
def test_a_links_state(opened, submitted, now, state):
    assert (
        domain.link_state(opened_at=opened, submitted_at=submitted, expires_at=EXPIRES, now=now)
        == state
    )


def test_a_reminder_is_due_once_three_days_after_sending_while_unanswered():
    at_three_days = SENT + timedelta(days=3)
    due = dict(sent_at=SENT, reminded=False, state=LinkState.OPENED)
    assert not domain.reminder_due(**due, now=at_three_days - timedelta(minutes=1))
    assert domain.reminder_due(**due, now=at_three_days)
    assert not domain.reminder_due(**{**due, "reminded": True}, now=at_three_days)
    assert not domain.reminder_due(**{**due, "state": LinkState.COMPLETED}, now=at_three_days)
    assert not domain.reminder_due(**{**due, "state": LinkState.EXPIRED}, now=at_three_days)


def test_a_plan_sends_its_next_link_after_its_interval():
    assert domain.next_send_on(last_sent_on=date(2026, 12, 4), every_days=14) == date(2026, 12, 18)


@pytest.mark.parametrize(
    ("completed", "expired", "rate"),
    [(0, 0, None), (3, 0, 100), (0, 2, 0), (2, 1, 67), (1, 2, 33), (1, 1, 50)],
)
def test_the_completion_rate_counts_settled_links_in_whole_percent_halves_up(
    completed, expired, rate
):
    assert Completion(completed=completed, expired=expired).rate_percent == rate


def test_a_half_percent_rounds_up():
    # 1 of 8 is 12.5 %.
    assert Completion(completed=1, expired=7).rate_percent == 13


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Climbing stairs ", "Climbing stairs"),
        ("Lifting\r\n  my   son\tinto the car", "Lifting my son into the car"),
        ("Driving\x00 to\x07 work", "Driving to work"),
        ("<b>Kneeling</b> & gardening", "<b>Kneeling</b> & gardening"),
        ("Subir la escalera 🪜", "Subir la escalera 🪜"),
        (" \n\t", ""),
    ],
)
def test_a_typed_activity_is_kept_as_plain_text_on_one_line(typed, kept):
    assert domain.activity_name(typed) == kept
