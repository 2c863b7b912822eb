"""The bulk export through a real Redis broker and a Celery worker started by the test, as in
production: the page queues the job, the worker builds it part by part, the page polls the
progress and the requester downloads the ZIP.

The worker runs in a thread of the test process, so the tests use transactions that commit
(``transaction=True``) for it to see their rows. Each run sends its tasks on a queue of its
own, so runs on the same Redis never take each other's. Without Redis the tests are
skipped, unless REQUIRE_BROKER=1 (set by .ci/run): then they fail.
"""

import hashlib
import os
import threading
import time
from pathlib import Path
from uuid import uuid4

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.urls import reverse

from cases.models import IssuedReport, ReportExport
from cases.services import report_exports
from mmi_tracker.celery import app as celery_app
from tests.support.cast import client_for
from tests.support.exports import insurer_book, read_zip

BROKER_URL = os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/11")
QUEUE = f"mmi-tests-{uuid4().hex[:12]}"

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(BROKER_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def book(cast):
    """The insurer's cases, made before the worker starts: what their writes send to the task
    queue (a case's diary rules) then runs inline, so the worker and the test never write to
    the same table at once."""
    return insurer_book(cast)


@pytest.fixture
def worker(settings, book):
    if not _redis_answers():
        reason = f"Redis does not answer at {BROKER_URL}: broker tests skipped"
        if os.environ.get("REQUIRE_BROKER") == "1":
            pytest.fail(f"{reason}, but REQUIRE_BROKER=1")
        pytest.skip(reason)
    changed = {
        "broker_url": BROKER_URL,
        "task_always_eager": False,
        "task_default_queue": QUEUE,
        "broker_connection_retry_on_startup": False,
    }
    saved = {key: celery_app.conf[key] for key in changed}
    celery_app.conf.update(changed)
    _drop_connection_pools()
    if connection.vendor == "sqlite":
        _share_sqlite_without_locks(settings)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield
    finally:
        with celery_app.connection_for_write() as broker:
            celery_app.amqp.queues[QUEUE].bind(broker).delete()
        # Deleting a queue leaves kombu's record of its binding behind.
        keys = redis.Redis.from_url(BROKER_URL)
        keys.delete(*keys.scan_iter(f"_kombu.binding*{QUEUE}"))
        celery_app.conf.update(saved)
        _drop_connection_pools()


def _share_sqlite_without_locks(settings) -> None:
    """SQLite's in-memory test database reaches the worker's thread through a shared cache,
    where a connection reading or writing a table another one is writing fails at once
    ("database table is locked"). So while the worker writes, the test only reads, without
    read locks: its polls do not save the session, and its connection reads uncommitted."""
    settings.SESSION_SAVE_EVERY_REQUEST = False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA read_uncommitted = true")


def _drop_connection_pools() -> None:
    """Tasks sent inline earlier in the run left the app's producer pool on the broker set
    then (Celery keeps it for the app's life): drop it, as Celery does after a fork, so the
    next task goes to the broker set now."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _wait_until_finished(client, export_id: int, timeout: float = 60) -> ReportExport:
    """Poll the progress partial as the page does, until it stops asking to be polled."""
    url = reverse("export-progress", args=[export_id])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "hx-trigger" not in client.get(url, headers={"HX-Request": "true"}).content.decode():
            return ReportExport.objects.get(pk=export_id)
        time.sleep(0.1)
    raise AssertionError(f"export {export_id} not finished after {timeout} s")


def test_export_through_the_broker_zips_the_stored_pdfs_with_their_hashes(
    book, worker, monkeypatch
):
    monkeypatch.setattr(report_exports, "PART_SIZE", 1)  # two parts, two tasks on the queue
    client = client_for(book.adjuster)

    response = client.post(reverse("export-create"), {"scope": "filter", "filter": ""})

    export = ReportExport.objects.get()
    assert response.url == reverse("export-detail", args=[export.pk])
    export = _wait_until_finished(client, export.pk)
    assert export.status == ReportExport.Status.DONE
    assert export.parts == 2
    download = client.get(reverse("export-download", args=[export.pk]))
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == export.sha256
    members, manifest = read_zip(data)
    stored = {report.sha256: report.read_pdf() for report in IssuedReport.objects.all()}
    assert len(members) == len(manifest) == 2
    for row in manifest:
        assert row["SHA-256"] in stored
        assert members[row["File"]] == stored[row["SHA-256"]]
        assert hashlib.sha256(members[row["File"]]).hexdigest() == row["SHA-256"]
    claims = {row["Claim number"] for row in manifest}
    assert claims == {book.case.claim_number, book.second_case.claim_number}
    assert book.foreign_case.claim_number not in claims
    assert not any(book.foreign_case.claim_number in name for name in members)


def test_a_build_that_fails_mid_zip_is_retried_by_the_queue_and_never_marked_whole_early(
    book, worker, monkeypatch
):
    real = report_exports.manifest_csv
    at_failure = []

    def fails_once(reports):
        export = ReportExport.objects.get()
        directory = Path(export.file.storage.location, "exports", str(export.pk))
        in_worker = threading.current_thread() is not threading.main_thread()
        files = sorted(path.name for path in directory.iterdir())
        at_failure.append((export.status, files, in_worker))
        if len(at_failure) == 1:
            raise OSError("No space left on device")
        return real(reports)

    monkeypatch.setattr(report_exports, "manifest_csv", fails_once)
    client = client_for(book.adjuster)

    client.post(reverse("export-create"), {"scope": "selected", "case": [book.case.pk]})

    export = _wait_until_finished(client, ReportExport.objects.get().pk)
    assert len(at_failure) == 2
    status, files, in_worker = at_failure[0]
    assert in_worker and at_failure[1][2], "the ZIP was not built by the worker"
    assert status == ReportExport.Status.RUNNING
    assert not [name for name in files if name.startswith("mmi-certifications")]
    assert export.status == ReportExport.Status.DONE
    members, manifest = read_zip(Path(export.file.path).read_bytes())
    assert list(members) == [f"MMI-{book.case.claim_number}-v1.pdf"]
    assert manifest[0]["SHA-256"] == book.reports[0].sha256
