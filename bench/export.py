"""Bulk export speed with one and with two Celery workers, and the web's latency meanwhile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mmi_bench_export \\
        .venv/bin/python bench/export.py [--reports 1000] [--runs 15]

Needs PostgreSQL (the workers are separate processes sharing the database) and Redis
(BENCH_BROKER_URL, default redis://127.0.0.1:6379/13, a database of its own). Migrates and
fills its database (kept between runs: use one of its own) with --reports signed
determinations of one insurer, each with its certification stored as issued at signing: a
copy of one certification rendered by WeasyPrint, so every export reads and hashes
real-size PDFs. Files go under BENCH_MEDIA_ROOT (default /tmp/mmi-bench-export-media).

For one worker, then two (separate `celery worker --pool solo` processes), it asks --runs
times for an export of every report as the insurer's adjuster and prints reports per
second (request to ZIP renamed into place), how long the parts and the assembly took, and
the median and 95th percentile latency of the case list served by a web process (gunicorn,
one sync worker, five requests a second) while no export runs and while one does. With
--worker-nice N the workers run at that lower CPU priority (nice), as on a machine they share
with web processes. Goal: two workers at least 1.7 x one, and the web's latency
unaffected.
"""

import argparse
import hashlib
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/13")
MEDIA = os.environ.get("BENCH_MEDIA_ROOT", "/tmp/mmi-bench-export-media")
SECRET = "bench-only-secret-key-never-used-in-production"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "mmi_tracker.settings",
    "SECRET_KEY": SECRET,
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "CELERY_BROKER_URL": BROKER,
    "MEDIA_ROOT": MEDIA,
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.access import cases_visible_to  # noqa: E402
from cases.models import (  # noqa: E402
    Case,
    Determination,
    IssuedReport,
    Organisation,
    Patient,
    ReportExport,
    Role,
    User,
)
from cases.reports.documents import render_determination_document  # noqa: E402
from cases.services.report_exports import report_export_request  # noqa: E402
from mmi_tracker.celery import app as celery_app  # noqa: E402

INSURER = "Bench Export Mutual"
WEB_PORT = 8791
REQUEST_INTERVAL = 0.2


def fill(reports: int) -> User:
    """The insurer, its adjuster and `reports` signed determinations with stored PDFs."""
    insurer, _ = Organisation.objects.get_or_create(name=INSURER, kind=Organisation.Kind.INSURER)
    employer, _ = Organisation.objects.get_or_create(
        name="Bench Employer", kind=Organisation.Kind.EMPLOYER
    )
    adjuster, _ = User.objects.get_or_create(
        username="bench.adjuster", defaults={"role": Role.ADJUSTER, "organisation": insurer}
    )
    manager, _ = User.objects.get_or_create(
        username="bench.manager", defaults={"role": Role.CASE_MANAGER}
    )
    clinician, _ = User.objects.get_or_create(
        username="bench.clinician",
        defaults={"role": Role.CLINICIAN, "first_name": "Ben", "last_name": "Chmark"},
    )
    have = Case.objects.filter(insurer=insurer).count()
    if have >= reports:
        return adjuster
    today = timezone.localdate()
    patients = Patient.objects.bulk_create(
        Patient(first_name="Pat", last_name=f"Bench{n}", date_of_birth=today.replace(year=1980))
        for n in range(have, reports)
    )
    cases = Case.objects.bulk_create(
        Case(
            patient=patient,
            claim_number=f"BX-{n:06d}",
            jurisdiction="TX",
            date_of_injury=today - timedelta(days=300),
            disability_began=today - timedelta(days=299),
            body_part="lower_back",
            diagnosis_codes="M54.50",
            employer=employer,
            insurer=insurer,
            adjuster=adjuster,
            case_manager=manager,
            status="at_mmi",
        )
        for n, patient in zip(range(have, reports), patients, strict=True)
    )
    exam = today - timedelta(days=10)
    determinations = Determination.objects.bulk_create(
        Determination(
            case=case,
            version=1,
            status=Determination.Status.SIGNED,
            certifying_clinician=clinician,
            jurisdiction="TX",
            exam_date=exam,
            diagnosis_codes="M54.50",
            certifier_role=Determination.CertifierRole.TREATING,
            guides_edition="4th",
            mmi_reached=True,
            mmi_type=Determination.MMIType.CLINICAL,
            mmi_date=exam,
            impairment_rating=5,
            rationale="Plateau over twelve weeks.",
            signed_at=timezone.now(),
        )
        for case in cases
    )
    pdf = render_determination_document(
        determinations[0].pk, IssuedReport.Kind.CERTIFICATION, generated_at=timezone.now()
    ).pdf
    sha256 = hashlib.sha256(pdf).hexdigest()
    issued = []
    for determination in determinations:
        report = IssuedReport(
            case=determination.case,
            determination=determination,
            determination_status=Determination.Status.SIGNED,
            kind=IssuedReport.Kind.CERTIFICATION,
            version=1,
            sha256=sha256,
            content_sha256=sha256,
            issued_by=clinician,
            issued_at=timezone.now(),
        )
        report.file.save(
            f"MMI-{determination.case.claim_number}-v1.pdf", ContentFile(pdf), save=False
        )
        issued.append(report)
    IssuedReport.objects.bulk_create(issued)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled {len(issued)} signed certifications of {len(pdf):,} bytes", file=sys.stderr)
    return adjuster


def session_cookie(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def start(command: list[str], log: str) -> subprocess.Popen:
    return subprocess.Popen(
        command, cwd=ROOT, env=ENV, stdout=open(log, "w"), stderr=subprocess.STDOUT
    )


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def start_workers(count: int, nice: int) -> list[subprocess.Popen]:
    celery = str(ROOT / ".venv" / "bin" / "celery")
    workers = [
        start(
            [
                "nice",
                "-n",
                str(nice),
                celery,
                "-A",
                "mmi_tracker",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
                "-n",
                f"bench{n}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            f"/tmp/mmi-bench-worker-{n}.log",
        )
        for n in range(count)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(celery_app.control.ping(timeout=0.5)) == count:
            return workers
    stop(workers)
    sys.exit("the workers did not answer within 60 s: see /tmp/mmi-bench-worker-*.log")


def web_latency(url: str, cookie: str, until: threading.Event | None, count: int) -> list[float]:
    """Milliseconds per request, one every REQUEST_INTERVAL seconds (a steady load, not a
    flood that would itself take a core), until the event is set or `count` requests."""
    times = []
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    while (until is None and len(times) < count) or (until is not None and not until.is_set()):
        started = time.perf_counter()
        with urllib.request.urlopen(request) as response:
            response.read()
            assert response.status == 200
        elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        time.sleep(max(0.0, REQUEST_INTERVAL - elapsed))
    return times


@dataclass
class Run:
    reports: int
    seconds: float
    parts_seconds: float
    assembly_seconds: float
    latencies: list[float]


def export_once(adjuster: User, url: str, cookie: str) -> Run:
    finished = threading.Event()
    seen: dict[str, float] = {}

    def watch(export_id: int) -> None:
        """When the parts were all done and when the ZIP was, to 20 ms."""
        while not finished.is_set():
            export = ReportExport.objects.get(pk=export_id)
            if "parts" not in seen and export.total and export.done == export.total:
                seen["parts"] = time.monotonic()
            if export.is_finished:
                seen["finished"] = time.monotonic()
                finished.set()
            time.sleep(0.02)

    started = time.monotonic()
    export = report_export_request(
        requested_by=adjuster, cases=cases_visible_to(adjuster), scope=ReportExport.Scope.FILTER
    )
    watcher = threading.Thread(target=watch, args=(export.pk,))
    watcher.start()
    latencies = web_latency(url, cookie, finished, 0)
    watcher.join()
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE, export.error
    seconds = (export.finished_at - export.created_at).total_seconds()
    parts_at = seen.get("parts", seen["finished"])
    return Run(
        len(export.report_ids),
        seconds,
        parts_at - started,
        seen["finished"] - parts_at,
        latencies,
    )


def percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[round(0.95 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--worker-nice", type=int, default=0)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL to a database of its own.")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    adjuster = fill(args.reports)
    celery_app.control.purge()
    cookie = session_cookie(adjuster)
    url = f"http://127.0.0.1:{WEB_PORT}/cases/"
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    web = start(
        [gunicorn, "mmi_tracker.wsgi", "-b", f"127.0.0.1:{WEB_PORT}", "-w", "1"],
        "/tmp/mmi-bench-web.log",
    )
    try:
        time.sleep(3)
        web_latency(url, cookie, None, 20)  # warm up
        idle = web_latency(url, cookie, None, 60)
        results = {}
        for count in (1, 2):
            workers = start_workers(count, args.worker_nice)
            try:
                export_once(adjuster, url, cookie)  # warm up the workers
                results[count] = [export_once(adjuster, url, cookie) for _ in range(args.runs)]
            finally:
                stop(workers)
    finally:
        stop([web])

    print(
        f"\n{platform.machine()} · {os.cpu_count()} CPUs · PostgreSQL "
        f"{connection.pg_version // 10000} · Redis broker · {args.reports} signed "
        f"certifications · median of {args.runs} exports · workers at nice "
        f"{args.worker_nice}\n"
    )
    print("| workers | reports/s | export s | parts s | assembly s | speed-up |")
    print("|---:|---:|---:|---:|---:|---:|")
    rates = {}
    for count, runs in results.items():
        rates[count] = statistics.median(run.reports / run.seconds for run in runs)
        print(
            f"| {count} | {rates[count]:.0f} "
            f"| {statistics.median(run.seconds for run in runs):.2f} "
            f"| {statistics.median(run.parts_seconds for run in runs):.2f} "
            f"| {statistics.median(run.assembly_seconds for run in runs):.2f} "
            f"| {rates[count] / rates[1]:.2f} x |"
        )
    print("\n| case list (gunicorn, 1 process) | requests | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    median, p95 = percentiles(idle)
    print(f"| no export running | {len(idle)} | {median:.1f} | {p95:.1f} |")
    for count, runs in results.items():
        during = [value for run in runs for value in run.latencies]
        median, p95 = percentiles(during)
        print(f"| during an export, {count} worker(s) | {len(during)} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
