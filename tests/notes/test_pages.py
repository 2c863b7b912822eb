"""Case notes as a user meets them: the case page's notes, the whole log filtered by kind, one
note with its history, writing, editing and withdrawing a note; who sees a private note, who
may write, 404 for a case or note not seen, clear refusals, and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLogEntry
from notes import services
from notes.models import Note
from tests.support.cast import client_for

pytestmark = pytest.mark.usefixtures("module_cast")


def an_hour_ago() -> str:
    return (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def write(cast, by=None, text="Called the adjuster about the MRI.", **fields):
    return services.note_write(
        case=cast.case,
        by=by or cast.case_manager,
        kind=fields.pop("kind", "call"),
        happened_at=fields.pop("happened_at", timezone.now() - timedelta(hours=2)),
        text=text,
        party=fields.pop("party", "carrier"),
        **fields,
    )


def posted(**changes) -> dict:
    return {
        "kind": "call",
        "happened_at": an_hour_ago(),
        "party": "adjuster",
        "with_whom": "",
        "text": "Asked for the records.",
        **changes,
    }


def test_the_case_page_shows_the_notes_newest_first_with_who_and_with_whom(cast):
    write(cast, text="Older call", happened_at=timezone.now() - timedelta(days=2))
    write(cast, text="Newer letter", kind="letter", party="employer")
    html = client_for(cast.adjuster).get(reverse("case-detail", args=[cast.case.pk])).content
    page = html.decode()
    assert 'id="notes"' in page
    assert page.index("Newer letter") < page.index("Older call")
    assert f"the employer ({cast.case.employer.name})" in page
    assert f"Written by {cast.case_manager}" in page
    assert reverse("notes:note-log", args=[cast.case.pk]) in page
    assert reverse("notes:note-add", args=[cast.case.pk]) in page


@pytest.mark.parametrize("who", ["clinician", "case_manager", "adjuster", "admin"])
def test_everyone_who_sees_the_case_writes_a_note(cast, who):
    user = getattr(cast, who)
    client = client_for(user)
    url = reverse("notes:note-add", args=[cast.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, posted(text=f"Spoke with them ({who})."))
    assert response.status_code == 302
    assert response["Location"].endswith("#notes")
    note = Note.objects.get(text=f"Spoke with them ({who}).")
    assert note.written_by == user and note.party_name == str(cast.case.adjuster)
    assert note.versions.get().number == 1


@pytest.mark.parametrize("who", ["other_clinician", "other_case_manager", "other_adjuster"])
def test_a_case_not_seen_answers_404_for_the_log_the_form_and_its_notes(cast, who):
    note = write(cast)
    client = client_for(getattr(cast, who))
    for url in (
        reverse("notes:note-log", args=[cast.case.pk]),
        reverse("notes:note-add", args=[cast.case.pk]),
        note.get_absolute_url(),
        reverse("notes:note-edit", args=[note.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("notes:note-add", args=[cast.case.pk]), posted()).status_code == 404
    assert Note.objects.count() == 1


def test_a_private_note_is_seen_by_the_care_team_only(cast):
    private = write(cast, by=cast.clinician, text="Suspect symptom magnification.", private=True)
    write(cast, text="Open call")
    case_url = reverse("case-detail", args=[cast.case.pk])
    log_url = reverse("notes:note-log", args=[cast.case.pk])
    seen = client_for(cast.clinician).get(log_url).content.decode()
    assert "Suspect symptom magnification." in seen and "Private to clinicians" in seen
    for who in ("case_manager", "adjuster", "admin"):
        client = client_for(getattr(cast, who))
        for url in (case_url, log_url):
            page = client.get(url).content.decode()
            assert "Open call" in page
            assert "symptom magnification" not in page, (who, url)
        assert client.get(private.get_absolute_url()).status_code == 404


def test_only_a_clinician_is_offered_to_make_a_note_private_and_others_are_refused(cast):
    url = reverse("notes:note-add", args=[cast.case.pk])
    assert 'name="private"' in client_for(cast.clinician).get(url).content.decode()
    assert 'name="private"' not in client_for(cast.case_manager).get(url).content.decode()
    # The box is not on their form: a forged one is ignored, the note is for everyone.
    client_for(cast.case_manager).post(url, posted(private="on", text="Forged"))
    assert Note.objects.get(text="Forged").private is False


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"happened_at": "2999-01-01T10:00"}, "happened_at", "cannot be in the future"),
        ({"text": "   "}, "text", "the text cannot be empty"),
        ({"kind": "fax"}, "kind", "Choose the kind of note: call, email, letter, meeting"),
        ({"party": "", "with_whom": ""}, "with_whom", "Say with whom: a call is with someone"),
        ({"party": "insurer"}, "party", "Select a valid choice"),
        ({"happened_at": "yesterday"}, "happened_at", "Enter a valid date/time"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_kept_in_the_form(
    cast, changes, field, message
):
    response = client_for(cast.case_manager).post(
        reverse("notes:note-add", args=[cast.case.pk]), posted(**changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert "The note was not added" in response.content.decode()
    assert not Note.objects.exists()


def test_what_a_user_typed_is_shown_escaped(cast):
    write(cast, text="<script>alert(1)</script>", with_whom="<b>Bob</b>")
    for url in (
        reverse("case-detail", args=[cast.case.pk]),
        reverse("notes:note-log", args=[cast.case.pk]),
    ):
        page = client_for(cast.case_manager).get(url).content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>Bob</b>" not in page and "&lt;b&gt;Bob&lt;/b&gt;" in page


def test_an_edit_keeps_every_earlier_version_and_shows_as_edited(cast):
    note = write(cast, text="Adjuster will call back Monday.")
    client = client_for(cast.case_manager)
    edit = reverse("notes:note-edit", args=[note.pk])
    form = client.get(edit)
    assert "Adjuster will call back Monday." in form.content.decode()
    response = client.post(edit, posted(party="carrier", text="Adjuster will call back Tuesday."))
    assert response.status_code == 302
    history = client.get(note.get_absolute_url()).content.decode()
    assert "Edited: 2 versions" in history
    assert "Adjuster will call back Monday." in history
    assert "Adjuster will call back Tuesday." in history
    case_page = client.get(reverse("case-detail", args=[cast.case.pk])).content.decode()
    assert "Adjuster will call back Tuesday." in case_page
    assert "Adjuster will call back Monday." not in case_page  # the history is one click away
    assert ">edited<" in case_page
    log = client.get(reverse("notes:note-log", args=[cast.case.pk])).content.decode()
    assert "History: 2 versions" in log and "Adjuster will call back Monday." in log
    note.refresh_from_db()
    assert note.edited_by == cast.case_manager and note.version_count == 2
    assert [v.text for v in note.versions.order_by("number")] == [
        "Adjuster will call back Monday.",
        "Adjuster will call back Tuesday.",
    ]


def test_an_edit_that_changes_nothing_is_refused(cast):
    note = write(cast, text="Same", party="carrier")
    local = timezone.localtime(note.happened_at).strftime("%Y-%m-%dT%H:%M")
    note.happened_at = timezone.localtime(note.happened_at).replace(second=0, microsecond=0)
    Note.objects.filter(pk=note.pk).update(happened_at=note.happened_at)
    response = client_for(cast.case_manager).post(
        reverse("notes:note-edit", args=[note.pk]),
        posted(party="carrier", text="Same", happened_at=local),
    )
    assert response.status_code == 200
    assert "Nothing was changed" in response.content.decode()
    assert Note.objects.get(pk=note.pk).version_count == 1


def test_only_the_author_edits_or_withdraws(cast):
    note = write(cast)
    client = client_for(cast.adjuster)
    assert client.get(note.get_absolute_url()).status_code == 200
    assert client.get(reverse("notes:note-edit", args=[note.pk])).status_code == 403
    withdraw = reverse("notes:note-withdraw", args=[note.pk])
    assert client.post(withdraw, {"reason": "Not mine"}).status_code == 403
    assert "Withdraw the note" not in client.get(note.get_absolute_url()).content.decode()
    assert Note.objects.get(pk=note.pk).withdrawn_at is None


def test_a_withdrawn_note_stays_in_the_log_with_its_reason(cast):
    note = write(cast, text="Called the wrong claimant.")
    client = client_for(cast.case_manager)
    withdraw = reverse("notes:note-withdraw", args=[note.pk])
    refused = client.post(withdraw, {"reason": " "})
    assert refused.status_code == 400 and "please say why" in refused.content.decode()
    assert client.post(withdraw, {"reason": "Wrong claimant"}).status_code == 302
    for url in (
        reverse("case-detail", args=[cast.case.pk]),
        reverse("notes:note-log", args=[cast.case.pk]),
        note.get_absolute_url(),
    ):
        page = client_for(cast.adjuster).get(url).content.decode()
        assert "Called the wrong claimant." in page
        assert f"Withdrawn by {cast.case_manager}" in page and "Wrong claimant" in page
    assert client.post(withdraw, {"reason": "Again"}).status_code == 400
    edit = client.get(reverse("notes:note-edit", args=[note.pk]))
    assert edit.status_code == 302
    assert Note.objects.filter(pk=note.pk).exists()


def test_the_log_filters_by_kind(cast):
    write(cast, text="A call", kind="call")
    write(cast, text="A letter", kind="letter", party="employee")
    client = client_for(cast.adjuster)
    url = reverse("notes:note-log", args=[cast.case.pk])
    page = client.get(url, {"kind": "letter"}).content.decode()
    assert "A letter" in page and "A call" not in page
    unknown = client.get(url, {"kind": "telegram"})
    assert unknown.status_code == 200
    shown = unknown.content.decode()
    assert "A letter" in shown and "A call" in shown and "Every kind is shown." in shown


def test_reading_the_notes_is_in_the_access_log(cast):
    note = write(cast)
    client = client_for(cast.adjuster)
    client.get(reverse("notes:note-log", args=[cast.case.pk]))
    client.get(note.get_absolute_url())
    details = list(
        AccessLogEntry.objects.filter(
            user=cast.adjuster, case=cast.case, action=AccessLogEntry.Action.CASE_VIEW
        )
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == ["Notes", "Note"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _edited_notes(cast, count):
    for n in range(count):
        note = write(cast, text=f"Note {n}", happened_at=timezone.now() - timedelta(hours=n + 1))
        services.note_edit(
            note=note,
            by=cast.case_manager,
            kind="email",
            happened_at=note.happened_at,
            text=f"Note {n}, edited",
            party="carrier",
        )


@pytest.mark.parametrize("who", ["clinician", "case_manager"])
def test_the_case_page_the_log_and_a_note_make_the_same_queries_with_2_and_25_notes(cast, who):
    client = client_for(getattr(cast, who))
    urls = [
        reverse("case-detail", args=[cast.case.pk]),
        reverse("notes:note-log", args=[cast.case.pk]),
    ]
    _edited_notes(cast, 2)
    note_url = Note.objects.first().get_absolute_url()
    few = [_queries(client, url) for url in [*urls, note_url]]
    _edited_notes(cast, 23)
    many = [_queries(client, url) for url in [*urls, note_url]]
    assert few == many
