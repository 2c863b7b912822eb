"""Bulk export of signed MMI certifications: one ZIP of the stored PDFs and a manifest.

A request (``report_export_request``) records which cases were asked for and queues the
build. The build runs in three steps, each a task in cases/tasks.py that any worker may run:

1. ``export_plan`` lists the signed determinations of those cases and splits them into
   parts of ``PART_SIZE``;
2. ``export_part_build``, once per part and in parallel across workers, keeps those the
   requester can still see, checks each stored PDF against the SHA-256 recorded when it was
   issued, writes the part's PDFs and manifest rows to a part file and logs each report as
   exported, in one transaction with the part's progress;
3. ``export_assemble``, after the last part, copies the parts into the ZIP with the whole
   ``manifest.csv``, then renames the finished file into place before marking the export
   done. It only copies bytes: the work that grows with each report is in the parts.

Without a broker the same tasks run one after another in a thread of the web process, started
once the request has been answered (``_enqueue``), so that asking returns at once and the
export page shows each part done.

Every file is written under a temporary name and renamed only once complete, and the export
is marked done only after that, so a worker dying mid-way never leaves a partial ZIP marked
whole. Each (re)start of the plan is a new ``attempt``: the parts and files of an earlier
attempt are ignored, so a retried build starts over. PDFs are stored uncompressed in the ZIP:
WeasyPrint's output is already compressed, and deflating it again saves about a tenth.
"""

import csv
import hashlib
import io
import logging
import math
import os
import shutil
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from uuid import uuid4

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from audit.models import AccessLogEntry
from audit.services import log_access_by, log_accesses_by

from .. import tasks
from ..access import cases_visible_to, determinations_visible_to
from ..models import Case, Determination, IssuedReport, ReportExport, User
from ..models.exports import KEPT_FOR, LEFT_OUT_LISTED
from ..reports.cells import neutralise
from ..reports.certification import certification_file_name
from ..reports.issuing import determination_report_issue
from ..templatetags.dates import day

logger = logging.getLogger(__name__)

PART_SIZE = 50
# A small export is built in more, smaller parts (down to one certification each), so the
# progress bar, which moves part by part, takes about this many steps.
PROGRESS_STEPS = 100
MAX_REPORTS = 10_000
MANIFEST = "manifest.csv"
MANIFEST_HEADER = ("File", "Claim number", "Patient", "Version", "Signed", "SHA-256")


class ExportRefused(Exception):
    """The request cannot become an export; the message says why, for the requester."""


class StoredReportChanged(Exception):
    """A stored PDF no longer matches the SHA-256 recorded when it was issued."""


@transaction.atomic
def report_export_request(
    *,
    requested_by: User,
    cases: QuerySet[Case],
    scope: ReportExport.Scope = ReportExport.Scope.SELECTED,
    filter_query: str = "",
    client_address: str | None = None,
) -> ReportExport:
    """Record a request for the signed certifications of `cases`, log it and queue the build.

    Only cases the requester can see count, now and again when the ZIP is built. Raises
    ExportRefused when none of them has a signed certification, or there are too many.
    """
    visible = cases_visible_to(requested_by).filter(pk__in=cases.values("pk"))
    signed = determinations_visible_to(requested_by).signed().filter(case__in=visible)
    count = signed.count()
    if count == 0:
        raise ExportRefused("None of these cases has a signed MMI certification to export.")
    if count > MAX_REPORTS:
        raise ExportRefused(
            f"These cases have {count:,} signed certifications; an export takes at most "
            f"{MAX_REPORTS:,}. Narrow the filter and export in several goes."
        )
    case_ids = sorted(set(signed.values_list("case_id", flat=True)))
    unsigned = _why_left_out(requested_by, visible.exclude(pk__in=signed.values("case_id")))
    left_out = [list(row) for row in unsigned[:LEFT_OUT_LISTED]]
    left_out_count = len(left_out) if len(left_out) < LEFT_OUT_LISTED else unsigned.count()
    now = timezone.now()
    export = ReportExport.objects.create(
        requested_by=requested_by,
        requested_from=client_address,
        created_at=now,
        expires_at=now + KEPT_FOR,
        scope=scope,
        case_ids=case_ids,
        filter_query=filter_query,
        total=count,
        left_out=left_out,
        left_out_count=left_out_count,
    )
    if scope == ReportExport.Scope.SELECTED:
        source = "selected cases"
    elif filter_query:
        source = f"the case list filtered by {filter_query}"
    else:
        source = "every case in the case list"
    log_access_by(
        requested_by,
        action=AccessLogEntry.Action.EXPORT_REQUEST,
        detail=f"Export {export.pk}: {count} signed certifications of {len(case_ids)} "
        f"cases, from {source}",
        client_address=client_address,
    )
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _why_left_out(user: User, cases: QuerySet[Case]) -> QuerySet[Case, tuple[str, str, int]]:
    """Why each of these cases is not in the export, as [claim number, LeftOut, case id]
    rows by claim number: hidden from the user; a certification in force other than the one
    planned (amended since); one rescinded and none signed since; or none ever signed."""
    in_force = Determination.objects.signed().filter(case=OuterRef("pk"))
    rescinded = Determination.objects.filter(
        case=OuterRef("pk"), status=Determination.Status.RESCINDED
    )
    visible = cases_visible_to(user).filter(pk=OuterRef("pk"))
    why = ReportExport.LeftOut
    reason = models.Case(
        models.When(~Exists(visible), then=models.Value(why.NOT_VISIBLE.value)),
        models.When(Exists(in_force), then=models.Value(why.AMENDED.value)),
        models.When(Exists(rescinded), then=models.Value(why.RESCINDED.value)),
        default=models.Value(why.NOT_SIGNED.value),
    )
    return (
        cases.annotate(left_out_because=reason)
        .order_by("claim_number", "pk")
        .values_list("claim_number", "left_out_because", "pk")
    )


BUILD_FAILED = (
    "The export could not be built. Try again; if it fails again, tell your administrator."
)


def _enqueue(export_id: int) -> None:
    """Start building the export, after the request that asked for it has been answered.

    With a broker, a worker builds it. Without one (development, a single machine) Celery
    would run the build inline, in the request: a thread of this process builds it instead,
    so the click returns at once and the export page shows the build advancing. Tests build
    it inline (REPORT_EXPORTS_IN_THREAD off)."""
    if not tasks.build_report_export.app.conf.task_always_eager:
        try:
            tasks.build_report_export.delay(export_id=export_id)
        except BrokerUnreachable:
            # The export says so, rather than the page failing after the request was saved.
            logger.exception("Could not queue export %s", export_id)
            export_fail(
                export_id=export_id, error="The task queue could not be reached. Try again."
            )
    elif settings.REPORT_EXPORTS_IN_THREAD:
        threading.Thread(
            target=_build_in_thread,
            args=(export_id,),
            name=f"report-export-{export_id}",
            daemon=True,
        ).start()
    else:
        export_build_without_broker(export_id=export_id)


def export_build_without_broker(*, export_id: int) -> None:
    """Build the export here and now, through the same tasks a worker runs (inline: each
    part's progress is saved as it is done, and failures are retried, then recorded)."""
    try:
        tasks.build_report_export.delay(export_id=export_id)
    except Exception:
        # The tasks record their own failures; this is for anything that escapes them.
        logger.exception("Export %s failed", export_id)
        export_fail(export_id=export_id, error=BUILD_FAILED)


def _build_in_thread(export_id: int) -> None:
    """The build in a thread of its own, which closes its database connections at the end:
    Django opens one for each thread, and closes by itself only those of requests."""
    try:
        export_build_without_broker(export_id=export_id)
    finally:
        connections.close_all()


def _directory(export: ReportExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / str(export.pk)


def _part_path(export: ReportExport, attempt: int, index: int) -> Path:
    return _directory(export) / f"part-{attempt}-{index:04d}.zip"


def _is_current(export: ReportExport, attempt: int) -> bool:
    return export.status == ReportExport.Status.RUNNING and export.attempt == attempt


def _write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write the file under a temporary name, flush it to disk, then rename it into place:
    the path either does not exist or holds the whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid4().hex}.partial")
    try:
        with open(temporary, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def part_size(count: int) -> int:
    """How many of an export's `count` certifications each part holds: about a
    PROGRESS_STEPS-th of them, from one to PART_SIZE."""
    return min(PART_SIZE, max(1, math.ceil(count / PROGRESS_STEPS)))


@dataclass(frozen=True)
class Plan:
    attempt: int
    parts: list[list[int]]  # the determination ids of each part, in ZIP order


@transaction.atomic
def export_plan(*, export_id: int) -> Plan | None:
    """Start building the export, or start it over: a new attempt, with the cases' signed
    determinations split into parts. None when the export is already finished (a task
    delivered twice)."""
    export = (
        ReportExport.objects.select_for_update().select_related("requested_by").get(pk=export_id)
    )
    if export.is_finished:
        return None
    # Every signed determination asked for, so that the total counts what was asked; each
    # part checks what the requester can see when it reads the reports.
    planned = list(
        Determination.objects.signed()
        .filter(case_id__in=export.case_ids)
        .order_by("case__claim_number", "version")
        .values_list("pk", "case_id")
    )
    ids = [pk for pk, _ in planned]
    # What the build leaves out is listed again for each attempt; what was left out when
    # the export was asked for (cases not in case_ids) stays.
    asked = set(export.case_ids)
    kept = [row for row in export.left_out if row[2] not in asked]
    export.left_out_count -= len(export.left_out) - len(kept)
    unsigned = Case.objects.filter(pk__in=asked - {case_id for _, case_id in planned})
    since = [list(row) for row in _why_left_out(export.requested_by, unsigned)]
    export.left_out, export.left_out_count = kept + since, export.left_out_count + len(since)
    size = part_size(len(ids))
    parts = [ids[start : start + size] for start in range(0, len(ids), size)]
    export.attempt += 1
    export.status = ReportExport.Status.RUNNING if ids else ReportExport.Status.FAILED
    export.error = "" if ids else "None of these cases has a signed MMI certification any more."
    export.total, export.done = len(ids), 0
    export.parts, export.parts_done, export.report_ids = len(parts), [], []
    export.save()
    return Plan(export.attempt, parts)


def _signed_copies(user: User, determination_ids: list[int]) -> list[IssuedReport]:
    """The certification issued at signing of each determination the user can still see, in
    the order given. One signed before certifications were stored at signing is issued now,
    once, like its first download would."""
    # In force only: one rescinded or amended since the plan is left out, not exported.
    visible = determinations_visible_to(user).signed().filter(pk__in=determination_ids)
    stored = {
        report.determination_id: report
        for report in IssuedReport.objects.filter(
            kind=IssuedReport.Kind.CERTIFICATION,
            determination_status=Determination.Status.SIGNED,
            determination__in=visible,
        ).select_related("case__patient", "determination__case")
    }
    for determination in visible.exclude(pk__in=list(stored)).select_related("case"):
        issued = determination_report_issue(
            determination=determination, kind=IssuedReport.Kind.CERTIFICATION
        )
        if issued is not None:  # None: superseded or rescinded meanwhile
            stored[determination.pk] = issued
    return [stored[pk] for pk in determination_ids if pk in stored]


def _certified(report: IssuedReport) -> Determination:
    """The determination a certification certifies: the database refuses a certification
    without one (issued_report_kind_matches_subject)."""
    determination = report.determination
    assert determination is not None
    return determination


def _verified_pdf(report: IssuedReport) -> bytes:
    pdf = report.read_pdf()
    if hashlib.sha256(pdf).hexdigest() != report.sha256:
        raise StoredReportChanged(
            f"The stored certification v{report.version} of claim {report.case.claim_number} "
            "no longer matches the SHA-256 recorded when it was issued, so the export "
            "stopped. Tell your administrator."
        )
    return pdf


def export_part_build(
    *, export_id: int, attempt: int, index: int, determination_ids: list[int]
) -> bool:
    """Write one part of the export's PDFs, checked against their SHA-256, and record it
    with an access log entry per report. Returns whether it was the last part to finish.

    Run again for the same part (a retry), it writes the part again and records it once.
    """
    export = ReportExport.objects.select_related("requested_by").get(pk=export_id)
    if not _is_current(export, attempt) or index in export.parts_done:
        return False
    requester = export.requested_by
    reports = _signed_copies(requester, determination_ids)

    def write(file: BinaryIO) -> None:
        with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as part:
            for report in reports:
                part.writestr(certification_file_name(_certified(report)), _verified_pdf(report))
            part.writestr(MANIFEST, manifest_rows(reports))

    _write_atomically(_part_path(export, attempt, index), write)
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().get(pk=export_id)
        if not _is_current(export, attempt) or index in export.parts_done:
            return False
        log_accesses_by(
            requester,
            action=AccessLogEntry.Action.REPORT_EXPORT,
            entries=[
                (
                    report.case,
                    f"Export {export.pk}: MMI certification v{report.version}, signed, "
                    f"issued report {report.pk}, SHA-256 {report.sha256}",
                )
                for report in reports
            ],
            client_address=export.requested_from,
        )
        exported = {report.determination_id for report in reports}
        missing = [pk for pk in determination_ids if pk not in exported]
        if missing:
            # Every one listed: they number at most the export's total, itself limited.
            of_missing = Determination.objects.filter(pk__in=missing).values("case_id")
            cases = Case.objects.filter(pk__in=of_missing)
            left_out = [list(row) for row in _why_left_out(requester, cases)]
            export.left_out.extend(left_out)
            export.left_out_count += len(left_out)
        export.parts_done.append(index)
        export.report_ids.extend(report.pk for report in reports)
        export.done += len(determination_ids)
        export.save(
            update_fields=["parts_done", "report_ids", "done", "left_out", "left_out_count"]
        )
        return len(export.parts_done) == export.parts


def manifest_rows(reports: list[IssuedReport]) -> str:
    """The manifest's rows for these certifications (CSV, no header), every cell neutralised
    against spreadsheet formulas like the case list's CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    for report in reports:
        determination = _certified(report)
        signed_at = determination.signed_at
        writer.writerow(
            [
                neutralise(str(cell))
                for cell in (
                    certification_file_name(determination),
                    report.case.claim_number,
                    report.case.patient,
                    report.version,
                    day(signed_at),
                    report.sha256,
                )
            ]
        )
    return out.getvalue()


def manifest_csv(parts_rows: list[str]) -> str:
    """The whole manifest: the header, then each part's rows in order."""
    out = io.StringIO()
    csv.writer(out).writerow(MANIFEST_HEADER)
    return out.getvalue() + "".join(parts_rows)


def _sha256_and_size(path: Path) -> tuple[str, int]:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest(), os.fstat(file.fileno()).st_size


def export_assemble(*, export_id: int, attempt: int) -> None:
    """Copy the parts into the ZIP with its manifest, rename it into place, then mark the
    export done and remove the parts. A retry builds the whole ZIP again."""
    export = ReportExport.objects.get(pk=export_id)
    if not _is_current(export, attempt) or len(export.parts_done) != export.parts:
        return
    if not export.report_ids:
        export_fail(export_id=export_id, error="None of these cases is visible to you any more.")
        return

    def write(file: BinaryIO) -> None:
        rows = []
        with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED) as archive:
            for index in range(export.parts):
                with zipfile.ZipFile(_part_path(export, attempt, index)) as part:
                    for member in part.infolist():
                        if member.filename == MANIFEST:
                            rows.append(part.read(member).decode())
                        else:
                            archive.writestr(member, part.read(member))
            archive.writestr(MANIFEST, manifest_csv(rows), compress_type=zipfile.ZIP_DEFLATED)

    # The attempt is in the name, so a late writer from an earlier attempt cannot replace it.
    path = _directory(export) / f"{export.file_name.removesuffix('.zip')}-{attempt}.zip"
    _write_atomically(path, write)
    sha256, size = _sha256_and_size(path)
    with transaction.atomic():
        export = ReportExport.objects.select_for_update().get(pk=export_id)
        if not _is_current(export, attempt):
            return
        export.status = ReportExport.Status.DONE
        export.file.name = str(path.relative_to(Path(settings.MEDIA_ROOT)))
        export.sha256, export.size, export.finished_at = sha256, size, timezone.now()
        export.save(update_fields=["status", "file", "sha256", "size", "finished_at"])
    for leftover in _directory(export).iterdir():
        if leftover != path:
            leftover.unlink(missing_ok=True)


def export_fail(*, export_id: int, error: str) -> None:
    """Mark an unfinished export failed, with a message for the requester."""
    ReportExport.objects.filter(pk=export_id).exclude(
        status__in=[
            ReportExport.Status.DONE,
            ReportExport.Status.FAILED,
            ReportExport.Status.EXPIRED,
        ]
    ).update(status=ReportExport.Status.FAILED, error=error[:500], finished_at=timezone.now())


@transaction.atomic
def report_exports_expire(*, now: datetime) -> int:
    """Remove the files of exports past their 7 days and mark them expired. Returns how
    many expired."""
    expired = (
        ReportExport.objects.select_for_update()
        .filter(expires_at__lte=now)
        .exclude(status=ReportExport.Status.EXPIRED)
    )
    exports = list(expired)
    for export in exports:
        shutil.rmtree(_directory(export), ignore_errors=True)
    ReportExport.objects.filter(pk__in=[export.pk for export in exports]).update(
        status=ReportExport.Status.EXPIRED, file=""
    )
    return len(exports)
