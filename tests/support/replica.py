"""A streaming replica of the PostgreSQL cluster the tests run on, for the tests that prove the
reporting pages read it (tests/mmi_tracker/test_replica.py).

pg_basebackup copies the primary (the host and port of DATABASE_URL) and writes the standby
settings (-R). A replication slot of the worker's own, made before the copy begins, keeps on
the primary the WAL the copy and then the standby still need: without it, a checkpoint asked
for meanwhile (another worker dropping a database) could recycle a segment before the copy's
own slot existed ("requested WAL segment has already been removed"). The copy starts on a
port the system reports free, so parallel workers and other runs never share one, in a
directory of its own, and is stopped and deleted, its slot dropped, when the session ends.
PostgreSQL refuses to run as root: as root, its commands run as the postgres user. The
primary must accept replication connections from the tests' host (pg_hba.conf: .ci/run adds
`host replication all 127.0.0.1/32 trust`).

Without PostgreSQL or its server programs the tests are skipped, unless REQUIRE_REPLICA=1
(set by .ci/run): then they fail.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# A hot standby refuses to start with less of these than its primary has.
MATCH_PRIMARY = [
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
]
SLOT = f"mmi_test_replica_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@dataclass(frozen=True)
class Replica:
    port: int

    def settings_for(self, primary: BaseDatabaseWrapper) -> dict:
        """Connection settings for the replica's copy of the primary's (test) database. A
        test mirror, as in settings.py: the tests set up and empty only the primary."""
        return {
            **primary.settings_dict,
            "HOST": "127.0.0.1",
            "PORT": self.port,
            "TEST": {**primary.settings_dict["TEST"], "MIRROR": "default"},
        }


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("REQUIRE_REPLICA") == "1":
        pytest.fail(f"{reason}, but REQUIRE_REPLICA=1")
    pytest.skip(f"{reason}: replica tests skipped")


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        _as_postgres(command), capture_output=True, text=True, timeout=timeout, check=False
    )


def _server_owner() -> tuple[int, int]:
    """The user and group the server runs as: postgres when the tests run as root."""
    if os.geteuid() != 0:
        return os.geteuid(), os.getegid()
    try:
        postgres = pwd.getpwnam("postgres")
    except KeyError:
        unavailable("No postgres user to run the replica as (PostgreSQL refuses root)")
    return postgres.pw_uid, postgres.pw_gid


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _slot_drop(cursor) -> None:
    cursor.execute(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s",
        [SLOT],
    )


def _slot_reserve(primary: BaseDatabaseWrapper) -> None:
    """The worker's slot, holding the WAL from now on (one left by a run that died is
    replaced)."""
    with primary.cursor() as cursor:
        _slot_drop(cursor)
        cursor.execute("SELECT pg_create_physical_replication_slot(%s, true)", [SLOT])


def _primary_settings(primary: BaseDatabaseWrapper) -> str:
    with primary.cursor() as cursor:
        lines = []
        for name in MATCH_PRIMARY:
            cursor.execute(f"SHOW {name}")
            lines.append(f"{name} = {cursor.fetchone()[0]}\n")
    return "".join(lines)


@pytest.fixture(scope="session")
def postgres_replica(django_db_setup, django_db_blocker) -> Iterator[Replica]:
    """A running hot standby of the primary cluster, replicating by streaming."""
    primary = connections["default"]
    if primary.vendor != "postgresql":
        unavailable(f"No PostgreSQL to replicate: the tests run on {primary.vendor}")
    if not (PG_BIN / "pg_basebackup").exists():
        unavailable(f"PostgreSQL's server programs are not in {PG_BIN}")
    owner = _server_owner()
    with django_db_blocker.unblock():
        primary_settings = _primary_settings(primary)
        _slot_reserve(primary)
    parent = Path(tempfile.mkdtemp(prefix="mmi-replica-"))
    directory = parent / "data"
    os.chown(parent, *owner)
    replica = Replica(port=_free_port())
    try:
        copied = _run(
            [
                str(PG_BIN / "pg_basebackup"),
                *("-D", str(directory), "-R", "-X", "stream", "-S", SLOT),
                *("--checkpoint=fast", "--no-sync"),
                *("-h", primary.settings_dict["HOST"] or "127.0.0.1"),
                *("-p", str(primary.settings_dict["PORT"] or 5432)),
                *("-U", primary.settings_dict["USER"] or "postgres"),
            ],
            timeout=600,
        )
        if copied.returncode != 0:
            unavailable(f"pg_basebackup could not copy the primary: {copied.stderr.strip()}")
        # Debian keeps the configuration outside the data directory, so the copy has none.
        for name, text in [
            ("postgresql.conf", primary_settings + "fsync = off\n"),
            ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
            ("pg_ident.conf", ""),
        ]:
            (directory / name).write_text(text)
            os.chown(directory / name, *owner)
        started = _run(
            [
                str(PG_BIN / "pg_ctl"),
                *("start", "--wait", "--timeout=60", "-D", str(directory)),
                *("-l", str(parent / "replica.log")),
                "-o",
                f"-p {replica.port} -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories={parent}",
            ],
            timeout=90,
        )
        if started.returncode != 0:
            log = (parent / "replica.log").read_text() if (parent / "replica.log").exists() else ""
            pytest.fail(f"The replica did not start: {started.stderr.strip()}\n{log}")
        yield replica
    finally:
        if (directory / "postmaster.pid").exists():
            stop = [str(PG_BIN / "pg_ctl"), "stop", "--wait", "-D", str(directory)]
            if _run([*stop, "-m", "fast"], timeout=60).returncode != 0:
                _run([*stop, "-m", "immediate"], timeout=60)
        shutil.rmtree(parent, ignore_errors=True)
        # Left behind, the slot would keep every WAL segment the primary writes from now on.
        with django_db_blocker.unblock(), primary.cursor() as cursor:
            _slot_drop(cursor)


def wait_for_replay(primary: BaseDatabaseWrapper, replica: BaseDatabaseWrapper) -> None:
    """Returns once the replica has replayed everything the primary has written so far."""
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        written = cursor.fetchone()[0]
    deadline = time.monotonic() + 30
    with replica.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"The replica had not replayed up to {written} after 30 s")
            time.sleep(0.05)
