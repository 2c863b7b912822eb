"""Shared set-up for the bulk export tests: signed determinations with a stored certification,
exports run to the end, and reading a ZIP back."""

import csv
import hashlib
import io
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone

from cases.access import cases_visible_to
from cases.models import Case, Determination, IssuedReport, ReportExport, User
from cases.services.report_exports import report_export_request
from tests.support.factories import CaseFactory
from tests.support.reports import determination


def signed_with_certification(case: Case, clinician: User, *, version: int = 1) -> IssuedReport:
    """A signed determination of the case and its certification as issued at signing.

    The stored bytes stand in for a rendered PDF (rendering is tested in test_reports.py):
    unique to the case, so each one has its own SHA-256."""
    signed = determination(
        case, clinician, version=version, exam_date=timezone.localdate() - timedelta(days=3)
    )
    pdf = f"%PDF-1.7\n% certification of {case.claim_number} v{version}\n%%EOF\n".encode()
    report = IssuedReport(
        case=case,
        determination=signed,
        determination_status=Determination.Status.SIGNED,
        kind=IssuedReport.Kind.CERTIFICATION,
        version=version,
        sha256=hashlib.sha256(pdf).hexdigest(),
        content_sha256=hashlib.sha256(pdf).hexdigest(),
        issued_by=clinician,
        issued_at=signed.signed_at,
    )
    report.file.save(f"MMI-{case.claim_number}-v{version}.pdf", ContentFile(pdf), save=False)
    report.save()
    return report


def insurer_book(cast):
    """Signed certifications of the adjuster's insurer: the cast's case (v1) and a second
    case amended once (v1 superseded by v2); one of another insurer's case; and a case of
    the insurer with nothing signed."""
    clinician = cast.clinician
    insurer = cast.case.insurer
    first = signed_with_certification(cast.case, clinician)
    second_case = CaseFactory(
        insurer=insurer, case_manager=cast.case_manager, care_team=[clinician]
    )
    superseded = signed_with_certification(second_case, clinician).determination
    superseded.status = Determination.Status.SUPERSEDED
    superseded.save(update_fields=["status"])
    amended = signed_with_certification(second_case, clinician, version=2)
    foreign_case = CaseFactory(care_team=[clinician])
    cast.foreign = signed_with_certification(foreign_case, clinician)
    cast.reports = [first, amended]
    cast.second_case, cast.foreign_case = second_case, foreign_case
    cast.unsigned_case = CaseFactory(insurer=insurer, case_manager=cast.case_manager)
    return cast


def export_now(user: User, cases=None, **options) -> ReportExport:
    """Ask for an export and run it inline, as `make run` does with no broker."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        export = report_export_request(
            requested_by=user,
            cases=cases if cases is not None else cases_visible_to(user),
            **options,
        )
    export.refresh_from_db()
    return export


def read_zip(data: bytes) -> tuple[dict[str, bytes], list[dict[str, str]]]:
    """The PDFs in the ZIP by name, and the manifest's rows; fails on a damaged ZIP."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = list(csv.DictReader(io.StringIO(members.pop("manifest.csv").decode())))
    return members, manifest
