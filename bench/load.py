"""Load: the app under gunicorn against PostgreSQL, driven by simulated users for a fixed time.

    .venv/bin/python bench/load.py [--users 50] [--seconds 120] [--restart-db-at 60]

Starts a PostgreSQL cluster of its own (initdb in a temporary directory, port 5544, so a
restart disturbs nobody else's database), migrates and seeds database mmi_load
(seed_demo, seed_scale --cases N, and the simulated users with their own cases and drafts),
collects static files and starts gunicorn on 127.0.0.1. Then --users threads log in with
their passwords and their second factor (each simulated user has an authenticator app; the
thread types the code it shows) and, until --seconds have passed, act as

  clinicians     open their case, record assessments, save step 2 of their draft determination
  case managers  the status board (home), their tasks and the case list, filtered and
                 unfiltered
  adjusters      download the signed certification of a case of their insurer

with a think time between requests. It prints requests per second, the median and 95th
percentile latency per page, the error count, and checks that every write the server
confirmed (a redirect after the POST) is in the database afterwards. --restart-db-at
restarts PostgreSQL that many seconds into the run: requests fail while it is down and must
succeed again after, without restarting the app (CONN_HEALTH_CHECKS).

Use --database-url to drive an existing server instead (no restart then). Not a test: the
figures depend on the machine; docs/performance.md records a run.
"""

import argparse
import http.client
import os
import platform
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-pass-2026"
RUN = secrets.token_hex(4)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')


# --- PostgreSQL of our own ------------------------------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster, run as the postgres user when we are root."""

    def __init__(self, port: int):
        self.port = port
        self.directory = Path(tempfile.gettempdir()) / "mmi_load_pg"
        bindir = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        ).stdout.strip()
        candidates = [Path(bindir)] if bindir else []
        candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
        self.bin = next(path for path in candidates if (path / "initdb").exists())

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        if not (self.directory / "PG_VERSION").exists():
            self.directory.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.directory, "postgres", "postgres")
            self._run("initdb", "-D", str(self.directory), "-A", "trust", "-U", "postgres")
        self._pg_ctl("start")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k /tmp -c max_connections=200 -c fsync=on"
        self._run(
            "pg_ctl",
            "-D",
            str(self.directory),
            "-o",
            options,
            "-l",
            str(self.directory / "server.log"),
            "-w",
            action,
            *extra,
        )

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/mmi_load"


def audit_log_key() -> str:
    """The key of mmi_load's access log, made at its first run and kept for the next."""
    path = Path(tempfile.gettempdir()) / "mmi_load_audit_log_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def create_database(url: str) -> None:
    import psycopg2

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'mmi_load'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE DATABASE mmi_load")
    connection.close()


# --- Data ---------------------------------------------------------------------------------


@dataclass
class Plan:
    clinicians: list[tuple[str, int, int]]  # username, case id, draft determination id
    managers: list[str]
    adjusters: list[str]
    certification_id: int
    case_ids: list[int]
    authenticator_keys: dict[str, str]  # username → the hex key of their authenticator app


def prepare(env: dict, users: int, extra_cases: int) -> Plan:
    """Migrate, seed and create the simulated users (run in this process, on the load DB)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmi_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases import services
    from cases.models import Case, Determination, Instrument, Organisation, Patient, Role, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo", verbosity=0)
    have = Case.objects.filter(claim_number__startswith="SC-").count()
    if have < extra_cases:
        call_command("seed_scale", cases=extra_cases - have, verbosity=0)
    # The diary tasks the rules call for on those cases, as the daily run leaves them.
    call_command("apply_diary_rules", verbosity=0)

    insurer = Organisation.objects.get(name="Lone Star Mutual", kind=Organisation.Kind.INSURER)
    signed = Determination.objects.signed().filter(case__insurer=insurer).order_by("pk").first()
    template = Case.objects.filter(insurer=insurer).order_by("pk").first()
    odi = Instrument.objects.get(abbreviation="ODI")
    counts = {
        Role.CLINICIAN: users * 2 // 5,
        Role.CASE_MANAGER: users * 3 // 10,
    }
    counts[Role.ADJUSTER] = users - sum(counts.values())

    def user(username: str, role: str) -> User:
        found, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": "Load",
                "last_name": username,
                "organisation": insurer if role == Role.ADJUSTER else None,
                "may_certify_mmi": role == Role.CLINICIAN,
                "may_rate_impairment": role == Role.CLINICIAN,
                "licence_type": "MD" if role == Role.CLINICIAN else "",
            },
        )
        if created:
            found.set_password(PASSWORD)
            found.save(update_fields=["password"])
        device, _ = TOTPDevice.objects.get_or_create(
            user=found, confirmed=True, defaults={"name": "Load authenticator"}
        )
        authenticator_keys[username] = device.key
        return found

    authenticator_keys: dict[str, str] = {}

    managers = [user(f"load.cm{n}", Role.CASE_MANAGER) for n in range(counts[Role.CASE_MANAGER])]
    adjusters = [user(f"load.adj{n}", Role.ADJUSTER) for n in range(counts[Role.ADJUSTER])]
    clinicians = []
    for n in range(counts[Role.CLINICIAN]):
        clinician = user(f"load.dr{n}", Role.CLINICIAN)
        with transaction.atomic():
            case = Case.objects.filter(claim_number=f"LOAD-{n}").first()
            if case is None:
                patient = Patient.objects.create(
                    first_name="Load", last_name=f"Patient {n}", date_of_birth="1980-01-01"
                )
                case = services.case_open(
                    opened_by=managers[n % len(managers)],
                    patient=patient,
                    claim_number=f"LOAD-{n}",
                    jurisdiction="TX",
                    date_of_injury=template.date_of_injury,
                    body_part="lower_back",
                    employer=template.employer,
                    insurer=insurer,
                    care_team=[clinician],
                    tracked=[odi],
                )
            draft = case.determinations.drafts().first() or services.determination_start(
                case=case, started_by=clinician
            )
        clinicians.append((clinician.username, case.pk, draft.pk))
    return Plan(
        clinicians=clinicians,
        managers=[m.username for m in managers],
        adjusters=[a.username for a in adjusters],
        certification_id=signed.pk,
        case_ids=[case_id for _, case_id, _ in clinicians],
        authenticator_keys=authenticator_keys,
    )


# --- Simulated users ------------------------------------------------------------------------


@dataclass
class Sample:
    page: str
    status: int
    seconds: float
    at: float


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    assessments: set[str] = field(default_factory=set)  # notes the server confirmed
    step_saves: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Browser:
    """One user's cookies and requests over plain HTTP, as if TLS ended at a proxy."""

    def __init__(self, port: int, results: Results, started: float):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.results = results
        self.started = started
        self.codes_used: set[int] = set()  # time steps of the codes this user has typed

    def request(self, page: str, method: str, path: str, form: dict | None = None):
        origin = f"https://127.0.0.1:{self.port}"
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            from urllib.parse import urlencode

            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        begin = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            status = response.status
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            connection.close()
        except OSError:
            status, content = 0, b""
        self.results.add(Sample(page, status, time.perf_counter() - begin, begin - self.started))
        return status, content.decode("utf-8", "replace")

    def form_post(self, page: str, path: str, form: dict, *, revision: bool = False):
        status, content = self.request(f"{page} (form)", "GET", path)
        if status != 200:
            return status
        token = CSRF.search(content)
        data = {**form, "csrfmiddlewaretoken": token.group(1) if token else ""}
        if revision:
            found = REVISION.search(content)
            data["revision"] = found.group(1) if found else "0"
        return self.request(page, "POST", path, data)[0]

    def login(self, username: str, authenticator_key: str) -> bool:
        credentials = {"username": username, "password": PASSWORD}
        if self.form_post("login", "/login/", credentials) != 302:
            return False
        code = authenticator_code(authenticator_key, self.codes_used)
        verify = "/account/second-factor/verify/"
        return self.form_post("second factor", verify, {"code": code}) == 302


def authenticator_code(key: str, used: set[int]) -> str:
    """The code an authenticator app shows now, or the next one if this one was used already
    (a code works once; the server accepts the next step's code too)."""
    from django_otp.oath import TOTP

    clock = TOTP(bytes.fromhex(key))
    while clock.t() in used:
        clock.drift += 1
    used.add(clock.t())
    return f"{clock.token():06d}"


def clinician(browser: Browser, plan_row, results: Results, rng: random.Random, today: str):
    username, case_id, draft_id = plan_row
    choice = rng.random()
    if choice < 0.4:
        browser.request("case page", "GET", f"/cases/{case_id}/")
    elif choice < 0.75:
        marker = f"load-{RUN}-{username}-{rng.getrandbits(48):x}"
        status = browser.form_post(
            "record assessment",
            f"/cases/{case_id}/assessments/add/",
            {"date": today, "pain_score": str(rng.randint(0, 10)), "notes": marker},
        )
        if status == 302:
            with results.lock:
                results.assessments.add(marker)
    else:
        status = browser.form_post(
            "save determination step",
            f"/determinations/{draft_id}/steps/therapy/",
            {
                "interpretation": f"Function levelled off ({rng.getrandbits(32):x}).",
                "improving_under_authorised_treatment": "no",
            },
            revision=True,
        )
        if status == 302:
            with results.lock:
                results.step_saves[draft_id] += 1


def case_manager(browser: Browser, rng: random.Random):
    choice = rng.random()
    if choice < 0.4:
        browser.request("status board", "GET", "/")
    elif choice < 0.5:
        browser.request("my tasks", "GET", "/tasks/")
    elif choice < 0.8:
        browser.request("case list", "GET", "/cases/")
    else:
        browser.request("case list (filtered)", "GET", "/cases/?status=in_treatment&page=2")


def adjuster(browser: Browser, plan: Plan, rng: random.Random):
    if rng.random() < 0.8:
        browser.request(
            "certification PDF",
            "GET",
            f"/reports/determinations/{plan.certification_id}/certification.pdf",
        )
    else:
        browser.request("case list", "GET", "/cases/")


def simulate(port: int, plan: Plan, seconds: float, think: tuple[float, float]) -> Results:
    results = Results()
    started = time.perf_counter()
    deadline = started + seconds
    today = time.strftime("%Y-%m-%d")
    people = (
        [("clinician", row) for row in plan.clinicians]
        + [("case_manager", name) for name in plan.managers]
        + [("adjuster", name) for name in plan.adjusters]
    )

    def run(role: str, who, seed: int) -> None:
        rng = random.Random(seed)
        browser = Browser(port, results, started)
        username = who[0] if role == "clinician" else who
        while not browser.login(username, plan.authenticator_keys[username]):
            if time.perf_counter() > deadline:
                return
            time.sleep(1)
        while time.perf_counter() < deadline:
            if role == "clinician":
                clinician(browser, who, results, rng, today)
            elif role == "case_manager":
                case_manager(browser, rng)
            else:
                adjuster(browser, plan, rng)
            time.sleep(rng.uniform(*think))

    threads = [
        threading.Thread(target=run, args=(role, who, n), daemon=True)
        for n, (role, who) in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- Checking and reporting -----------------------------------------------------------------


def lost_writes(results: Results, initial_revisions: dict[int, int]) -> list[str]:
    from cases.models import Assessment, DeterminationStep

    stored = set(
        Assessment.objects.filter(notes__startswith=f"load-{RUN}-").values_list("notes", flat=True)
    )
    lost = [f"assessment {marker}" for marker in sorted(results.assessments - stored)]
    revisions = dict(
        DeterminationStep.objects.filter(slug="therapy").values_list("determination_id", "revision")
    )
    for draft_id, saves in results.step_saves.items():
        expected = initial_revisions.get(draft_id, 0) + saves
        if revisions.get(draft_id, 0) < expected:
            lost.append(f"step saves of determination {draft_id}: {revisions.get(draft_id)}")
    return lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(results: Results, seconds: float, restart_at: float | None) -> int:
    ok = [s for s in results.samples if s.status and s.status < 500]
    errors = [s for s in results.samples if not s.status or s.status >= 500]
    print(
        f"\n{len(results.samples)} requests in {seconds:.0f} s: "
        f"{len(results.samples) / seconds:.1f} requests/s, {len(errors)} errors\n"
    )
    print("| page | requests | median ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    by_page = defaultdict(list)
    for sample in results.samples:
        by_page[sample.page].append(sample)
    for page, samples in sorted(by_page.items()):
        times = [s.seconds * 1000 for s in samples if s.status and s.status < 500]
        failed = sum(1 for s in samples if not s.status or s.status >= 500)
        median = f"{statistics.median(times):.0f}" if times else "—"
        p95 = f"{percentile(times, 0.95):.0f}" if times else "—"
        print(f"| {page} | {len(samples)} | {median} | {p95} | {failed} |")
    unexpected = [s for s in ok if s.status not in {200, 302}]
    if unexpected:
        print(
            f"\n{len(unexpected)} answers other than 200/302: "
            f"{sorted({(s.page, s.status) for s in unexpected})}"
        )
    if restart_at is not None:
        # While the database is down a request fails with 500, or 400 when only saving the
        # session failed (Django's SessionInterrupted); none may fail once it is back.
        failed = [s for s in results.samples if not s.status or s.status >= 500 or s.status == 400]
        first = min((s.at for s in failed), default=restart_at)
        last = max((s.at + s.seconds for s in failed), default=restart_at)
        after = [s for s in results.samples if s.at > last]
        print(
            f"\nPostgreSQL restart asked at {restart_at:.0f} s: {len(failed)} requests failed, "
            f"all started between {first:.1f} s and {last:.1f} s; after that "
            f"{len(after)} requests, {sum(1 for s in after if s.status not in {200, 302})} "
            "failed."
        )
        return sum(1 for s in after if s.status not in {200, 302})
    return len(errors) + len(unexpected)


def wait_until_serving(port: int) -> None:
    """Until every worker has loaded the app: the master accepts connections long before."""
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not start serving")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    parser.add_argument("--extra-cases", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--pg-port", type=int, default=5544)
    parser.add_argument("--database-url", help="an existing server's mmi_load database")
    parser.add_argument("--restart-db-at", type=float, help="seconds into the run")
    args = parser.parse_args()

    cluster = None
    if args.database_url:
        database_url = args.database_url
        if args.restart_db_at is not None:
            parser.error("--restart-db-at needs the cluster this script starts")
    else:
        cluster = Cluster(args.pg_port)
        cluster.start()
        database_url = cluster.url
    create_database(database_url)
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    env = {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        # The access log of mmi_load grows run after run: one key for it, kept beside it.
        "AUDIT_LOG_KEY": audit_log_key(),
        "AUDIT_ANCHOR_FILE": str(Path(tempfile.gettempdir()) / "mmi_load_anchors.jsonl"),
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "mmi_load_static"),
    }
    print(f"preparing mmi_load ({args.extra_cases} extra cases)…", file=sys.stderr)
    plan = prepare(env, args.users, args.extra_cases)
    from cases.models import DeterminationStep

    initial = dict(
        DeterminationStep.objects.filter(slug="therapy").values_list("determination_id", "revision")
    )
    from django.db import connections

    connections.close_all()

    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "mmi_tracker.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--timeout",
            "60",
            "--preload",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        wait_until_serving(args.port)
        restarter = None
        if args.restart_db_at is not None:

            def restart():
                print(f"restarting PostgreSQL at {args.restart_db_at:.0f} s", file=sys.stderr)
                cluster.restart()
                print("PostgreSQL is back", file=sys.stderr)

            restarter = threading.Timer(args.restart_db_at, restart)
            restarter.start()
        print(
            f"driving {args.users} users for {args.seconds:.0f} s "
            f"({args.workers} gunicorn workers × {args.threads} threads)…",
            file=sys.stderr,
        )
        results = simulate(args.port, plan, args.seconds, tuple(args.think))
        if restarter is not None:
            restarter.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; {len(plan.clinicians)} clinicians, "
        f"{len(plan.managers)} case managers, {len(plan.adjusters)} adjusters; think time "
        f"{args.think[0]}–{args.think[1]} s"
    )
    failures = report(results, args.seconds, args.restart_db_at)
    lost = lost_writes(results, initial)
    print(
        f"\nwrites confirmed: {len(results.assessments)} assessments, "
        f"{sum(results.step_saves.values())} step saves; lost: {len(lost)}"
    )
    for item in lost[:20]:
        print(f"  LOST {item}")
    from django.core.management import call_command

    print("access log: ", end="", flush=True)
    call_command("verify_audit_log")
    if cluster is not None:
        cluster.stop()
    sys.exit(1 if lost or failures else 0)


if __name__ == "__main__":
    main()
