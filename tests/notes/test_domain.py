"""The rules of a case note, without a database: a kind of the log, not in the future, a
text, and with whom for anything but a note to the file; a withdrawal says why, once."""

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

from notes import domain

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def refusals(**changes):
    note = {
        "kind": "call",
        "happened_at": NOW - timedelta(hours=1),
        "now": NOW,
        "text": "Asked for the MRI report.",
        "with_whom": "",
        "party": "carrier",
    }
    return domain.note_refusals(**{**note, **changes})


def test_a_call_with_a_party_in_the_past_is_kept():
    assert refusals() == {}


def test_a_moment_in_the_future_is_refused():
    assert refusals(happened_at=NOW + timedelta(minutes=1)) == {
        "happened_at": "When it happened cannot be in the future."
    }


def test_a_moment_before_1900_is_refused_without_leaving_the_calendar():
    assert refusals(happened_at=datetime(1, 1, 1, tzinfo=UTC)) == {
        "happened_at": "When it happened must be from 1900 on."
    }
    assert refusals(happened_at=datetime(1900, 1, 1, tzinfo=UTC)) == {}


def test_now_itself_is_not_the_future():
    assert refusals(happened_at=NOW) == {}


def test_an_empty_or_blank_text_is_refused():
    assert "text" in refusals(text="")
    assert refusals(text="  \n ")["text"].startswith("Write what was said or done")


def test_an_unknown_kind_is_refused_naming_the_kinds():
    assert refusals(kind="fax") == {
        "kind": "Choose the kind of note: one of call, email, letter, meeting, note."
    }


def test_a_call_with_nobody_named_is_refused_but_a_note_to_the_file_is_not():
    assert refusals(party="", with_whom=" ")["with_whom"].startswith("Say with whom: a call")
    assert refusals(kind="email", party="", with_whom="")["with_whom"].startswith(
        "Say with whom: an email"
    )
    assert refusals(party="", with_whom="Nurse at the clinic") == {}
    assert refusals(kind="note", party="", with_whom="") == {}


def test_a_withdrawal_says_why_once():
    assert domain.withdrawal_refusals(reason=" ", already_withdrawn=False) == {
        "reason": "Say why the note is withdrawn: the reason stays with it."
    }
    assert (
        "already"
        in domain.withdrawal_refusals(reason="Wrong case", already_withdrawn=True)["reason"]
    )
    assert domain.withdrawal_refusals(reason="Wrong case", already_withdrawn=False) == {}


def test_the_rules_import_nothing_from_django():
    source = Path(domain.__file__).read_text()
    imported = [
        name
        for node in ast.walk(ast.parse(source))
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
    ]
    assert imported and not [name for name in imported if name.split(".")[0] == "django"]
