"""Case notes in the REST API: a case's notes with their history, a note written on a case
(bad input refused with the field named), private notes only to a clinician's token, 404 for
a case the caller may not see, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notes import services
from notes.models import Note
from tests.support.api import api_client, assert_matches_schema

pytestmark = pytest.mark.usefixtures("module_cast")


def an_hour_ago() -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


def body(**changes) -> dict:
    return {
        "kind": "email",
        "happened_at": an_hour_ago(),
        "party": "employer",
        "text": "Sent the work status.",
        **changes,
    }


def url(cast) -> str:
    return reverse("api:note-list", args=[cast.case.pk])


def test_an_adjuster_writes_a_note_and_everyone_on_the_case_reads_it(cast):
    response = api_client(cast.adjuster).post(url(cast), body(), format="json")
    assert response.status_code == 201, response.json()
    note = response.json()
    assert note["written_by"]["id"] == cast.adjuster.pk
    assert note["party_name"] == cast.case.employer.name
    assert note["edited"] is False and note["private"] is False
    assert [v["number"] for v in note["versions"]] == [1]
    listed = api_client(cast.case_manager).get(url(cast)).json()
    assert [n["text"] for n in listed["results"]] == ["Sent the work status."]


def test_a_note_with_no_party_reads_back_as_the_schema_says(cast):
    response = api_client(cast.clinician).post(
        url(cast), body(party="", with_whom="Ms Ortiz at the clinic"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["party"] == ""
    assert_matches_schema(response.json(), "Note")
    assert_matches_schema(response.json()["versions"][0], "NoteVersion")


def test_the_list_shows_each_edit_and_withdrawal(cast):
    note = services.note_write(
        case=cast.case,
        by=cast.case_manager,
        kind="call",
        happened_at=timezone.now() - timedelta(hours=3),
        text="First words",
        party="carrier",
    )
    services.note_edit(
        note=note,
        by=cast.case_manager,
        kind="call",
        happened_at=note.happened_at,
        text="Second words",
        party="carrier",
    )
    services.note_withdraw(note=note, by=cast.case_manager, reason="Wrong claim")
    shown = api_client(cast.adjuster).get(url(cast)).json()["results"][0]
    assert shown["text"] == "Second words" and shown["edited"] is True
    assert [v["text"] for v in shown["versions"]] == ["Second words", "First words"]
    assert shown["withdrawn_reason"] == "Wrong claim"
    assert shown["withdrawn_by"]["id"] == cast.case_manager.pk


def test_private_notes_reach_a_clinicians_token_only(cast):
    response = api_client(cast.clinician).post(
        url(cast),
        body(kind="note", party="", text="Clinical impression", private=True),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert api_client(cast.clinician).get(url(cast)).json()["count"] == 1
    for who in ("case_manager", "adjuster", "admin"):
        assert api_client(getattr(cast, who)).get(url(cast)).json()["count"] == 0, who


@pytest.mark.parametrize("who", ["case_manager", "adjuster", "admin"])
def test_only_a_clinician_writes_a_private_note(cast, who):
    response = api_client(getattr(cast, who)).post(url(cast), body(private=True), format="json")
    assert response.status_code == 403
    assert "Only a clinician" in response.json()["error"]["message"]
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"happened_at": (timezone.now() + timedelta(days=1)).isoformat()},
            "happened_at",
            "When it happened cannot be in the future.",
        ),
        ({"happened_at": "1899-06-01T12:00:00Z"}, "happened_at", "from 1900 on"),
        ({"happened_at": "0001-01-01T00:00:00Z"}, "happened_at", "out of range"),
        ({"text": "  "}, "text", None),
        ({"kind": "fax"}, "kind", None),
        ({"party": "", "with_whom": ""}, "with_whom", "Say with whom"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, changes, field, message):
    response = api_client(cast.case_manager).post(url(cast), body(**changes), format="json")
    assert response.status_code == 400
    messages = response.json()["error"]["fields"][field]
    if message:
        assert message in messages[0]
    assert not Note.objects.exists()


def test_a_case_not_seen_answers_404_whatever_the_call(cast):
    for who in ("other_clinician", "other_case_manager", "other_adjuster"):
        client = api_client(getattr(cast, who))
        assert client.get(url(cast)).status_code == 404
        assert client.post(url(cast), body(), format="json").status_code == 404
    assert not Note.objects.exists()


def test_the_list_filters_by_kind(cast):
    client = api_client(cast.case_manager)
    client.post(url(cast), body(kind="call"), format="json")
    client.post(url(cast), body(kind="letter"), format="json")
    assert [n["kind"] for n in client.get(url(cast), {"kind": "letter"}).json()["results"]] == [
        "letter"
    ]
    assert client.get(url(cast), {"kind": "telegram"}).status_code == 400


def test_the_list_makes_the_same_queries_with_2_and_20_notes(cast):
    client = api_client(cast.clinician)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url(cast)).status_code == 200
        return len(context.captured_queries)

    for _ in range(2):
        client.post(url(cast), body(), format="json")
    few = queries()
    for _ in range(18):
        client.post(url(cast), body(private=True), format="json")
    assert queries() == few
