"""The access log: every read path appends an entry; nothing edits or deletes one; the hash
chain shows tampering and `verify_audit_log` names the first broken link."""

import threading

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse

from audit import tasks
from audit.models import AccessLogEntry, AppendOnlyError
from audit.services import log_access
from tests.support.cast import client_for
from tests.support.factories import WorkStatusFactory
from tests.support.guards import guards_lifted
from tests.support.reports import determination, fill_record, name_the_parties


def _request(user, address="203.0.113.9"):
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = user
    return request


def test_viewing_a_case_is_logged_with_user_case_and_address(cast):
    client_for(cast.adjuster).get(
        reverse("case-detail", args=[cast.case.pk]), REMOTE_ADDR="198.51.100.7"
    )
    entry = AccessLogEntry.objects.get()
    assert entry.user == cast.adjuster
    assert entry.username == cast.adjuster.username
    assert entry.case == cast.case
    assert entry.action == AccessLogEntry.Action.CASE_VIEW
    assert entry.client_address == "198.51.100.7"


def test_a_case_the_user_may_not_see_is_not_logged_as_viewed(cast):
    response = client_for(cast.other_adjuster).get(reverse("case-detail", args=[cast.case.pk]))
    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_entries_chain_each_to_the_previous_hash(cast):
    first = log_access(_request(cast.clinician), action="case_view", case=cast.case)
    second = log_access(_request(cast.admin), action="csv_export", detail="all cases")
    assert first.previous_hash == ""
    assert second.previous_hash == first.entry_hash
    assert second.entry_hash == second.compute_hash()


def test_an_entry_cannot_be_changed_or_deleted(cast):
    entry = log_access(_request(cast.clinician), action="case_view", case=cast.case)
    entry.detail = "nothing to see"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(detail="rewritten")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.bulk_update([entry], ["detail"])
    assert AccessLogEntry.objects.get().detail == ""


def test_the_admin_lets_administrators_search_but_not_add_change_or_delete(cast):
    log_access(_request(cast.clinician), action="case_view", case=cast.case)
    entry = log_access(_request(cast.adjuster), action="case_view", case=cast.case)
    client = client_for(cast.admin)
    changelist = reverse("admin:audit_accesslogentry_changelist")
    found = client.get(changelist, {"q": cast.adjuster.username})
    assert found.status_code == 200
    assert list(found.context["cl"].result_list) == [entry]
    by_case = client.get(changelist, {"q": cast.case.claim_number})
    assert len(by_case.context["cl"].result_list) == 2
    by_date = client.get(changelist, {"at__year": "2000"})
    assert len(by_date.context["cl"].result_list) == 0
    assert client.get(reverse("admin:audit_accesslogentry_add")).status_code == 403
    assert (
        client.get(reverse("admin:audit_accesslogentry_delete", args=[entry.pk])).status_code == 403
    )
    detail = client.post(
        reverse("admin:audit_accesslogentry_change", args=[entry.pk]), {"detail": "rewritten"}
    )
    assert detail.status_code == 403
    bulk = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert bulk.status_code in {200, 302}
    assert AccessLogEntry.objects.count() == 2
    model_admin = admin_site._registry[AccessLogEntry]
    assert "delete_selected" not in model_admin.get_actions(found.wsgi_request)


def test_the_verifier_counts_one_entry_in_the_singular(cast, capsys):
    log_access(_request(cast.clinician), action="case_view", case=cast.case)
    call_command("verify_audit_log")
    assert "1 entry, chain intact" in capsys.readouterr().out


def test_verifier_reports_an_intact_chain(cast, capsys):
    for _ in range(3):
        log_access(_request(cast.clinician), action="case_view", case=cast.case)
    call_command("verify_audit_log")
    assert "3 entries, chain intact" in capsys.readouterr().out


# The verifier's tests tamper as only the tables' owner could, past the database's guard.


def test_verifier_names_the_entry_changed_with_raw_sql(cast):
    entries = [log_access(_request(cast.clinician), action="case_view", case=cast.case)]
    entries += [log_access(_request(cast.clinician), action="case_view") for _ in range(3)]
    tampered = entries[2]
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_accesslogentry SET username = %s WHERE id = %s",
            ["someone-else", tampered.pk],
        )
    with pytest.raises(CommandError, match=f"entry {tampered.pk} .*no longer matches its hash"):
        call_command("verify_audit_log")


def test_verifier_finds_an_entry_deleted_with_raw_sql(cast):
    entries = [log_access(_request(cast.clinician), action="case_view") for _ in range(4)]
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"entry {entries[2].pk} .*does not follow"):
        call_command("verify_audit_log")


def test_verifier_finds_a_rehashed_entry_that_no_longer_links(cast):
    """Rewriting an entry and its own hash still breaks the link from the next entry."""
    entries = [log_access(_request(cast.clinician), action="case_view") for _ in range(3)]
    forged = AccessLogEntry.objects.get(pk=entries[1].pk)
    forged.detail = "forged"
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_accesslogentry SET detail = %s, entry_hash = %s WHERE id = %s",
            ["forged", forged.compute_hash(), forged.pk],
        )
    with pytest.raises(CommandError, match=f"entry {entries[2].pk} .*does not follow"):
        call_command("verify_audit_log")


def _rewrite_from(entry_id: int, *, keyed: bool) -> None:
    """What whoever can write to the database (past its guard) but has not the key can do:
    change an entry, then hash it and every later one again, chained, with plain SHA-256."""
    previous = (
        AccessLogEntry.objects.filter(pk__lt=entry_id)
        .order_by("-pk")
        .values_list("entry_hash", flat=True)
        .first()
        or ""
    )
    with guards_lifted(), connection.cursor() as cursor:
        for entry in AccessLogEntry.objects.filter(pk__gte=entry_id).order_by("pk"):
            if entry.pk == entry_id:
                entry.detail = "forged"
            entry.previous_hash, entry.keyed = previous, False
            previous = entry.compute_hash()
            cursor.execute(
                "UPDATE audit_accesslogentry SET detail = %s, previous_hash = %s, "
                "entry_hash = %s, keyed = %s WHERE id = %s",
                [entry.detail, entry.previous_hash, previous, keyed, entry.pk],
            )


@pytest.mark.parametrize(
    ("keyed", "found"),
    [(True, "no longer matches its hash"), (False, "is not keyed but follows keyed entries")],
)
def test_a_chain_rewritten_from_an_entry_without_the_key_is_found(cast, keyed, found):
    entries = [log_access(_request(cast.clinician), action="case_view") for _ in range(4)]
    _rewrite_from(entries[1].pk, keyed=keyed)
    with pytest.raises(CommandError, match=f"entry {entries[1].pk} .*{found}"):
        call_command("verify_audit_log")


def test_entries_written_before_the_key_still_verify(cast, capsys):
    entries = [log_access(_request(cast.clinician), action="case_view") for _ in range(2)]
    # As migration 0006 left the entries it found: plain SHA-256, marked unkeyed.
    _rewrite_from(entries[0].pk, keyed=False)
    log_access(_request(cast.clinician), action="case_view")
    call_command("verify_audit_log")
    assert "3 entries, chain intact" in capsys.readouterr().out


def test_the_anchor_finds_the_newest_entries_removed(cast, capsys):
    entries = [log_access(_request(cast.clinician), action="case_view") for _ in range(4)]
    assert tasks.anchor_audit_log() == entries[-1].pk
    call_command("verify_audit_log")
    assert f"anchored entry {entries[-1].pk}" in capsys.readouterr().out
    with guards_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE id >= %s", [entries[2].pk])
    # What is left still links: only the anchor shows the removal.
    with pytest.raises(CommandError, match=f"anchored entry {entries[-1].pk} .*missing"):
        call_command("verify_audit_log")


def test_anchors_are_appended_outside_the_database(cast, settings):
    log_access(_request(cast.clinician), action="case_view")
    tasks.anchor_audit_log()
    last = log_access(_request(cast.clinician), action="case_view")
    tasks.anchor_audit_log()
    lines = settings.AUDIT_ANCHOR_FILE.read_text().splitlines()
    assert len(lines) == 2
    assert f'"entry": {last.pk}' in lines[-1] and last.entry_hash in lines[-1]
    assert "anchor-audit-log" in settings.CELERY_BEAT_SCHEDULE


def test_hashes_are_keyed(cast, settings):
    entry = log_access(_request(cast.clinician), action="case_view")
    assert entry.keyed
    settings.AUDIT_LOG_KEY = "another key"
    assert entry.compute_hash() != entry.entry_hash


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(cast):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is shown on PostgreSQL")
    errors = []

    def write(n):
        try:
            for _ in range(n):
                log_access(_request(cast.clinician), action="case_view", case=cast.case)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(10,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AccessLogEntry.objects.count() == 80
    call_command("verify_audit_log")


@pytest.fixture
def record(cast):
    name_the_parties(cast.case)
    fill_record(cast.case, cast.clinician, assessments=2, treatments=1)
    WorkStatusFactory(case=cast.case, issued_by=cast.clinician)
    cast.signed = determination(cast.case, cast.clinician)
    return cast


READ_PATHS = {
    "case-detail": (lambda c: reverse("case-detail", args=[c.case.pk]), "case_view", True),
    "case-history": (
        lambda c: reverse("case-history", args=[c.case.pk]),
        "case_history_view",
        True,
    ),
    "case-list-csv": (lambda c: reverse("case-list-csv") + "?status=open", "csv_export", False),
    "report-certification": (
        lambda c: reverse("report-certification", args=[c.signed.pk]),
        "report_download",
        True,
    ),
    "report-patient-letter": (
        lambda c: reverse("report-patient-letter", args=[c.signed.pk]),
        "report_download",
        True,
    ),
    "report-case-summary": (
        lambda c: reverse("report-case-summary", args=[c.case.pk]),
        "report_download",
        True,
    ),
    "report-work-status": (
        lambda c: reverse("report-work-status", args=[c.case.pk]),
        "report_download",
        True,
    ),
}


@pytest.mark.parametrize("name", sorted(READ_PATHS))
def test_every_read_path_appends_one_entry(name, record):
    url, action, names_case = READ_PATHS[name]
    response = client_for(record.adjuster).get(url(record), REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.client_address) == (
        record.adjuster,
        action,
        "198.51.100.20",
    )
    assert entry.case == (record.case if names_case else None)
    call_command("verify_audit_log")


def test_csv_export_records_the_filter_used(cast):
    client_for(cast.case_manager).get(reverse("case-list-csv"), {"status": "open", "q": "Diaz"})
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.CASE_LIST_CSV)
    assert entry.detail == "status=open&q=Diaz"


def test_a_user_in_the_log_cannot_be_deleted_only_deactivated(cast):
    log_access(_request(cast.other_adjuster), action="csv_export")
    with pytest.raises(ProtectedError):
        cast.other_adjuster.delete()
    assert AccessLogEntry.objects.filter(user=cast.other_adjuster).exists()
