"""Server time of the board, My tasks, case list, time-to-MMI and case pages at several sizes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/pages.py --cases 1000 --cases 100000 --cases 300000

Each --cases N names the database mmi_bench_N on the DATABASE_URL server (--db NAME=N names
another) and the number of synthetic cases it should hold: the script creates it if missing,
migrates it, fills it to that size (manage.py seed_scale), adds one case with 200
assessments, then requests each page in-process with Django's test Client (all the
middleware, the queries and the template; no network). Requests alternate between the
databases, so that whatever else the machine is doing weighs on every size alike. Prints the
median and 95th percentile in milliseconds as a Markdown table, with the SQL queries each
page made at each size (the same at every size, or the page is wrong). The databases keep
the data.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal

import django_setup

django_setup.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.utils import load_backend  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from cases.models import (  # noqa: E402
    Assessment,
    Case,
    Determination,
    Instrument,
    OutcomeScore,
    Role,
    User,
)
from diaries.models import Task  # noqa: E402
from tests.support.second_factor import force_login_with_second_factor  # noqa: E402

LONG_CASE = "BENCH-200"


def prepare(cases: int) -> None:
    call_command("migrate", verbosity=0)
    missing = cases - Case.objects.filter(claim_number__startswith="SC-").count()
    if missing > 0:
        started = time.perf_counter()
        call_command("seed_scale", cases=missing)
        print(f"seeded {missing} cases in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if not Case.objects.filter(claim_number=LONG_CASE).exists():
        template = Case.objects.filter(claim_number__startswith="SC-").order_by("pk").first()
        patient = template.patient
        patient.pk = None
        patient.save()
        long_case = Case.objects.create(
            patient=patient,
            claim_number=LONG_CASE,
            jurisdiction="TX",
            date_of_injury=timezone.localdate() - timedelta(days=1000),
            body_part="lower_back",
            employer=template.employer,
            insurer=template.insurer,
            case_manager=template.case_manager,
        )
        clinician = User.objects.filter(role=Role.CLINICIAN).first()
        long_case.care_team.set([clinician])
        odi, nprs = (
            Instrument.objects.get(abbreviation="ODI"),
            Instrument.objects.get(abbreviation="NPRS"),
        )
        long_case.tracked_instruments.set([odi, nprs])
        assessments = Assessment.objects.bulk_create(
            Assessment(
                case=long_case,
                date=long_case.date_of_injury + timedelta(days=5 * n),
                clinician=clinician,
                pain_score=5,
            )
            for n in range(200)
        )
        Case.objects.filter(pk=long_case.pk).refresh_last_assessed()
        OutcomeScore.objects.bulk_create(
            OutcomeScore(
                assessment=a,
                instrument=instrument,
                value=Decimal(40 - n % 7) if instrument == odi else Decimal(5),
                scale_min=instrument.minimum,
                scale_max=instrument.maximum,
            )
            for n, a in enumerate(assessments)
            for instrument in (odi, nprs)
        )
    # The diary tasks the rules call for on these cases (about 6 for every 10 cases), as the
    # daily run leaves them.
    if not Task.objects.exists():
        call_command("apply_diary_rules", verbosity=0)
    # As autovacuum leaves a database in use: planner statistics, and a visibility map so
    # that index-only scans need not visit the table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def client_for(username: str, **defaults) -> Client:
    user, _ = User.objects.get_or_create(username=username, defaults=defaults)
    client = Client()
    # As a browser session is after the password and the code: administrators and clinicians
    # are turned back to the second factor otherwise.
    force_login_with_second_factor(client, user)
    return client


def queries(clients: dict[int, Client], url) -> str:
    """The SQL queries of one request at each size: "12", or "12 / 14" where they differ."""
    counts = []
    for size, client in clients.items():
        use(size)
        with CaptureQueriesContext(connections["default"]) as captured:
            client.get(url(size) if callable(url) else url)
        counts.append(len(captured))
    return str(counts[0]) if len(set(counts)) == 1 else " / ".join(map(str, counts))


def measure(clients: dict[int, Client], url: str, runs: int) -> dict[int, tuple[float, float]]:
    """Median and p95 per data size, requests alternating between the sizes."""
    times: dict[int, list[float]] = {size: [] for size in clients}
    for run in range(runs + 3):  # the first three warm caches and connections
        for size, client in clients.items():
            use(size)
            started = time.perf_counter()
            response = client.get(url(size) if callable(url) else url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, size, response.status_code)
            if run >= 3:
                times[size].append(elapsed)
    result = {}
    for size, values in times.items():
        values.sort()
        result[size] = (statistics.median(values), values[round(0.95 * (len(values) - 1))])
    return result


WRAPPERS: dict[int, object] = {}


def use(size: int) -> None:
    """Point the default database connection at the database holding ``size`` cases."""
    connections["default"] = WRAPPERS[size]


def connect(name: str, size: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    settings_dict = {**connections["default"].settings_dict, "NAME": name, "CONN_MAX_AGE": 600}
    backend = load_backend(settings_dict["ENGINE"])
    WRAPPERS[size] = backend.DatabaseWrapper(settings_dict, alias="default")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--cases", action="append", type=int, default=[], help="a size, in database mmi_bench_N"
    )
    parser.add_argument("--db", action="append", default=[], help="DATABASE=CASES")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL.")
    specs = [f"mmi_bench_{size}={size}" for size in args.cases] + args.db
    if not specs:
        parser.error("give at least one --cases or --db")
    # The signed certifications downloaded are issued, so signed, by the local authority.
    call_command("create_signing_authority", if_missing=True, verbosity=0)
    sizes = []
    for spec in specs:
        name, size = spec.split("=")
        connect(name, int(size))
        sizes.append(int(size))
    clients: dict[str, dict[int, Client]] = {"admin": {}, "manager": {}, "adjuster": {}}
    long_cases, summaries, certifications = {}, {}, {}
    for size in sizes:
        use(size)
        prepare(size)
        clients["admin"][size] = client_for(
            "bench.admin", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True
        )
        clients["manager"][size] = client_for("scale.manager.0")
        clients["adjuster"][size] = client_for("scale.adjuster.0")
        long_case = Case.objects.get(claim_number=LONG_CASE)
        long_cases[size] = long_case.get_absolute_url()
        summaries[size] = reverse("report-case-summary", args=[long_case.pk])
        signed = Determination.objects.filter(
            status=Determination.Status.SIGNED,
            case__insurer__members__username="scale.adjuster.0",
        ).first()
        certifications[size] = reverse("report-certification", args=[signed.pk])

    cases = reverse("case-list")
    pages = [
        ("Board (case manager)", "manager", reverse("home")),
        ("Board (administrator, every case)", "admin", reverse("home")),
        ("Adjuster's home", "adjuster", reverse("home")),
        ("My tasks (case manager)", "manager", reverse("diaries:task-list")),
        ("Case list, first page (case manager)", "manager", cases),
        ("Case list, first page (administrator)", "admin", cases),
        ("Case list, page 500 (administrator)", "admin", f"{cases}?page=500"),
        (
            "Case list, filtered (administrator)",
            "admin",
            f"{cases}?status=in_treatment&jurisdiction=TX&body_part=knee",
        ),
        ("Case list, searched for a common name (administrator)", "admin", f"{cases}?q=Smith"),
        (
            "Case list, searched for a claim number (administrator)",
            "admin",
            f"{cases}?q=SC-00000042",
        ),
        (
            "Case list, filtered by a clinician typed (administrator)",
            "admin",
            f"{cases}?clinician=&clinician_name=Clinician+0",
        ),
        (
            "Names suggested for a clinician typed (administrator)",
            "admin",
            f"{reverse('person-search', args=['clinician'])}?q=clin",
        ),
        ("Time to MMI (adjuster)", "adjuster", reverse("time-to-mmi")),
        ("Time to MMI (administrator)", "admin", reverse("time-to-mmi")),
        ("Case page, 200 assessments", "admin", long_cases.get),
        ("Django admin case changelist", "admin", reverse("admin:cases_case_changelist")),
        ("Certification PDF, signed (adjuster)", "adjuster", certifications.get),
        ("Case summary PDF, 200 assessments (administrator)", "admin", summaries.get),
    ]
    print(
        f"\n{platform.machine()} · {os.cpu_count()} CPUs · PostgreSQL "
        f"{connection.pg_version // 10000} · {args.runs} runs per page and size\n"
    )
    header = " | ".join(f"{size:,} cases median / p95 ms" for size in sizes)
    ratios = " | ".join(f"{size:,} ÷ {sizes[0]:,}" for size in sizes[1:])
    print(f"| page | {header} | {ratios} | SQL queries |")
    print("|---|" + "---:|" * (2 * len(sizes)))
    for label, who, url in pages:
        result = measure(clients[who], url, args.runs)
        cells = " | ".join(f"{result[size][0]:.0f} / {result[size][1]:.0f}" for size in sizes)
        growth = " | ".join(f"{result[size][0] / result[sizes[0]][0]:.2f}" for size in sizes[1:])
        count = queries(clients[who], url)
        print(f"| {label} | {cells} | {growth} | {count} |", flush=True)


if __name__ == "__main__":
    main()
