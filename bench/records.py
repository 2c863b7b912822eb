"""Outside records on PostgreSQL: a 50-page scan from upload to searchable, and searches over
100,000 pages of records.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/records.py

Works in the database mmi_bench_records on the DATABASE_URL server (--db NAME for another):
migrates it and, the first time, fills it with synthetic cases (manage.py seed_scale) and
--pages pages of outside records (20-page records of varied synthetic clinical text, bulk
inserted as if read, spread over the cases, one in ten clinical-only, one in fifty
withdrawn); the database keeps them for the next run.

1. Upload to searchable: a 50-page PDF of scanned pages (text drawn on pictures with Pillow,
   so every page needs OCR) added through the upload service, read as the task queue reads it
   (inline, as with no broker), then found by a search for the words on its last page.
2. Searches: each page of results requested in-process with Django's test Client (all the
   middleware, the queries and the template; no network), as the users who make them; median
   and 95th percentile in milliseconds, with the SQL queries each made.
"""

import argparse
import io
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from urllib.parse import urlencode

import django_setup

django_setup.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from cases.models import Case, Role, User  # noqa: E402
from mmi_tracker.celery import app  # noqa: E402
from outside_records import reading, search, services  # noqa: E402
from outside_records.models import OutsideRecord, Reading, RecordPage, StoredFile  # noqa: E402
from tests.support.second_factor import force_login_with_second_factor  # noqa: E402

CASES = 2000
PAGES_PER_RECORD = 20
SCAN_PAGES = 50
SCAN_CASE = "BENCH-RECORDS"
BATCH = 5000
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

BODY_PARTS = (
    "lumbar spine", "cervical spine", "right shoulder", "left shoulder", "right knee",
    "left knee", "right wrist", "left ankle", "right hip", "thoracic spine", "left elbow",
)  # fmt: skip
FINDINGS = (
    "disc herniation at L4-L5 with mild foraminal narrowing",
    "broad-based disc bulge at L5-S1 without nerve root compression",
    "full-thickness rotator cuff tear of the supraspinatus tendon",
    "partial tear of the medial meniscus, posterior horn",
    "degenerative joint disease with joint space narrowing",
    "no acute fracture or dislocation",
    "healed distal radius fracture in good alignment",
    "moderate central canal stenosis",
    "tenderness over the paraspinal muscles with muscle spasm",
    "reduced range of motion in flexion and abduction",
    "positive straight leg raise on the left at 45 degrees",
    "carpal tunnel syndrome confirmed on nerve conduction studies",
    "anterior cruciate ligament sprain with joint effusion",
)
# Each in about one page in 200.
RARE_FINDINGS = (
    "grade 1 spondylolisthesis of L5 on S1",
    "complex regional pain syndrome of the right hand",
    "avascular necrosis of the femoral head",
    "os trigonum syndrome",
)
PLANS = (
    "Continue physical therapy three times a week for four weeks.",
    "Prescribed meloxicam 15 mg daily and cyclobenzaprine 10 mg at bedtime.",
    "Referred for epidural steroid injection.",
    "Work status: modified duty, no lifting over 20 pounds.",
    "Return to full duty without restrictions.",
    "Surgical consultation recommended; the patient wishes to avoid surgery.",
    "Functional capacity evaluation to be scheduled.",
    "Follow up in two weeks or sooner if symptoms worsen.",
    "Home exercise program reviewed and handed to the patient.",
)
HISTORY = (
    "The patient reports pain rated {n} out of 10, worse with prolonged sitting.",
    "The injury occurred while lifting boxes at work on the loading dock.",
    "Pain radiates to the {part} with intermittent numbness and tingling.",
    "Sleep is disturbed by pain; the patient takes ibuprofen as needed.",
    "The patient denies bowel or bladder dysfunction.",
    "Prior treatment included chiropractic care and a course of physical therapy.",
    "Vital signs stable. Blood pressure {n}8/7{n} mmHg.",
    "The patient is alert and oriented, in no acute distress.",
)
AUTHORS = (
    "Austin Imaging Center", "Hill Country Orthopedics", "Capital Physical Therapy",
    "Dr. R. Alvarez, MD", "Travis Pain Management", "Lakeway Neurology Associates",
)  # fmt: skip


def page_text(rng: random.Random) -> str:
    """A page of synthetic clinical text, some 200 to 300 words."""
    part = rng.choice(BODY_PARTS)
    lines = [f"{rng.choice(AUTHORS)} · Examination of the {part}"]
    for _ in range(rng.randrange(12, 18)):
        kind = rng.random()
        if kind < 0.4:
            lines.append(rng.choice(HISTORY).format(n=rng.randrange(2, 9), part=part))
        elif kind < 0.75:
            lines.append(f"Findings of the {rng.choice(BODY_PARTS)}: {rng.choice(FINDINGS)}.")
        else:
            lines.append(rng.choice(PLANS))
    if rng.random() < 0.02:
        lines.insert(rng.randrange(1, len(lines)), f"Also noted: {rng.choice(RARE_FINDINGS)}.")
    return "\n".join(lines)


def prepare(pages: int) -> None:
    call_command("migrate", verbosity=0)
    missing = CASES - Case.objects.filter(claim_number__startswith="SC-").count()
    if missing > 0:
        call_command("seed_scale", cases=missing, verbosity=0)
    files = (
        pages // PAGES_PER_RECORD - StoredFile.objects.filter(sha256__startswith="bench").count()
    )
    if files <= 0:
        return
    started = time.perf_counter()
    rng = random.Random(files)
    cases = list(Case.objects.filter(claim_number__startswith="SC-").values_list("pk", flat=True))
    uploader = User.objects.filter(role=Role.CASE_MANAGER).first()
    today = timezone.localdate()
    done = StoredFile.objects.filter(sha256__startswith="bench").count()
    for start in range(0, files, BATCH // PAGES_PER_RECORD):
        count = min(BATCH // PAGES_PER_RECORD, files - start)
        with transaction.atomic():
            stored = StoredFile.objects.bulk_create(
                StoredFile(
                    sha256=f"bench{done + start + n:059d}",
                    file=f"outside-records/bench/{done + start + n}.pdf",
                    size=200_000,
                    page_count=PAGES_PER_RECORD,
                    received_type="application/pdf",
                    reading=Reading.READ,
                    pages_read=PAGES_PER_RECORD,
                )
                for n in range(count)
            )
            OutsideRecord.objects.bulk_create(
                OutsideRecord(
                    case_id=rng.choice(cases),
                    stored_file=kept,
                    document_type=rng.choice(OutsideRecord.DocumentType.values),
                    author=rng.choice(AUTHORS),
                    received_on=today - timedelta(days=rng.randrange(1, 900)),
                    received_from="Scale Insurer",
                    clinical_only=rng.random() < 0.1,
                    original_name=f"record-{kept.pk}.pdf",
                    uploaded_by=uploader,
                    **(
                        {
                            "withdrawn_at": timezone.now(),
                            "withdrawn_by": uploader,
                            "withdrawal_reason": "Sent for the wrong patient",
                        }
                        if rng.random() < 0.02
                        else {}
                    ),
                )
                for kept in stored
            )
            RecordPage.objects.bulk_create(
                RecordPage(stored_file=kept, number=number, text=page_text(rng))
                for kept in stored
                for number in range(1, PAGES_PER_RECORD + 1)
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"added {files * PAGES_PER_RECORD:,} pages in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


def scanned_pdf(marker: str) -> bytes:
    """SCAN_PAGES letter pages at 150 dpi, each a picture of typed text only OCR can read;
    the last page holds ``marker``."""
    font = ImageFont.truetype(FONT, 26)
    rng = random.Random(marker)
    pictures = []
    for number in range(1, SCAN_PAGES + 1):
        picture = Image.new("L", (1275, 1650), 255)
        draw = ImageDraw.Draw(picture)
        lines = page_text(rng).split("\n")
        if number == SCAN_PAGES:
            lines.append(f"Reference {marker}: quadriceps atrophy noted.")
        y = 120
        for line in lines:
            words, row = line.split(), ""
            for word in words:
                if draw.textlength(f"{row} {word}", font=font) > 1075:
                    draw.text((100, y), row, font=font, fill=0)
                    y, row = y + 40, word
                else:
                    row = f"{row} {word}".strip()
            draw.text((100, y), row, font=font, fill=0)
            y += 52
        pictures.append(picture)
    out = io.BytesIO()
    pictures[0].save(out, format="PDF", save_all=True, append_images=pictures[1:], resolution=150)
    return out.getvalue()


def upload_to_searchable() -> tuple[float, float, float]:
    """Seconds to build the scan (not counted), to take it in, and to read it; checks that the
    words of its last page are then found there."""
    case = Case.objects.filter(claim_number=SCAN_CASE).first()
    if case is None:
        template = Case.objects.filter(claim_number__startswith="SC-").order_by("pk").first()
        case = Case.objects.create(
            patient=template.patient,
            claim_number=SCAN_CASE,
            jurisdiction=template.jurisdiction,
            date_of_injury=template.date_of_injury,
            body_part=template.body_part,
            employer=template.employer,
            insurer=template.insurer,
            case_manager=template.case_manager,
        )
    marker = f"BENCH{int(time.time())}"
    content = scanned_pdf(marker)
    uploader = User.objects.get(pk=case.case_manager_id)
    # As with no broker: the task runs in this process when the upload commits.
    app.conf.task_always_eager = True
    started = time.perf_counter()
    with transaction.atomic():
        [record] = services.records_upload(
            case=case,
            files=[SimpleUploadedFile("scan.pdf", content, content_type="application/pdf")],
            details=services.RecordDetails(
                document_type=OutsideRecord.DocumentType.CONSULTATION,
                received_on=timezone.localdate(),
                received_from="Bench",
            ),
            by=uploader,
        )
        taken = time.perf_counter()
    # The reading ran on commit, inline as the task queue runs it without a broker.
    read = time.perf_counter()
    record.stored_file.refresh_from_db()
    assert record.stored_file.reading == Reading.READ, record.stored_file.reading
    assert record.stored_file.pages_read == SCAN_PAGES
    found = search.records_search(user=uploader, query=marker, case=case)
    [hit] = found.object_list
    assert hit.record == record and [s.number for s in hit.snippets] == [SCAN_PAGES], hit
    return len(content) / 1e6, taken - started, read - taken


def client_for(user: User) -> Client:
    client = Client()
    force_login_with_second_factor(client, user)
    return client


def measure(client: Client, url: str, runs: int) -> tuple[float, float, str]:
    times = []
    for run in range(runs + 3):  # the first three warm caches and connections
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if run >= 3:
            times.append(elapsed)
    with CaptureQueriesContext(connections["default"]) as captured:
        client.get(url)
    times.sort()
    return statistics.median(times), times[round(0.95 * (len(times) - 1))], str(len(captured))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="mmi_bench_records")
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run the benchmark on PostgreSQL: set DATABASE_URL.")
    settings_dict = {**connections["default"].settings_dict, "NAME": args.db}
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{args.db}"')
    connections["default"].close()
    connections["default"].settings_dict.update(settings_dict)
    prepare(args.pages)

    print(
        f"\n{platform.machine()} · {os.cpu_count()} CPUs · PostgreSQL "
        f"{connection.pg_version // 10000} · "
        f"{RecordPage.objects.count():,} pages of {OutsideRecord.objects.count():,} records "
        f"on {Case.objects.count():,} cases\n"
    )
    if not reading.tesseract_available():
        sys.exit("Tesseract and pdftoppm are needed to read the scan.")
    megabytes, taken, read = upload_to_searchable()
    print(f"| {SCAN_PAGES}-page scan ({megabytes:.1f} MB) | seconds |")
    print("|---|---:|")
    print(f"| taken in (checked, cleaned, stored) | {taken:.1f} |")
    print(f"| read (OCR of every page) | {read:.1f} |")
    print(f"| upload to searchable | {taken + read:.1f} |")
    print(f"| a page, on average | {(taken + read) / SCAN_PAGES:.2f} |\n")

    admin, _ = User.objects.get_or_create(
        username="bench.admin",
        defaults={"role": Role.ADMINISTRATOR, "is_staff": True, "is_superuser": True},
    )
    manager = User.objects.get(username="scale.manager.0")
    busiest = (
        OutsideRecord.objects.filter(case__insurer__members__username="scale.adjuster.0")
        .values("case")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    adjuster = User.objects.get(username="scale.adjuster.0")
    busy_case = Case.objects.get(pk=busiest["case"])
    searches = [
        ("a rare word, every case (administrator)", admin, "spondylolisthesis", None, 1),
        ("a common word, every case (administrator)", admin, "pain", None, 1),
        ("a common word, page 20 (administrator)", admin, "pain", None, 20),
        ("a phrase, every case (administrator)", admin, '"rotator cuff tear"', None, 1),
        ("a word found nowhere (administrator)", admin, "xylophone", None, 1),
        ("a common word, their cases (case manager)", manager, "pain", None, 1),
        ("a common word, one case (adjuster)", adjuster, "pain", busy_case, 1),
    ]
    print(f"| search ({args.runs} runs) | records found | median ms | p95 ms | SQL queries |")
    print("|---|---:|---:|---:|---:|")
    for label, user, query, case, page in searches:
        url = (
            (
                reverse("outside_records:case-record-search", args=[case.pk])
                if case
                else reverse("outside_records:record-search")
            )
            + "?"
            + urlencode({"q": query, "page": page})
        )
        median, p95, queries = measure(client_for(user), url, args.runs)
        found = search.records_search(user=user, query=query, case=case).paginator.count
        print(f"| {label} | {found:,} | {median:.0f} | {p95:.0f} | {queries} |", flush=True)


if __name__ == "__main__":
    main()
