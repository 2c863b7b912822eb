"""What a download returns, and the one place every report download is logged."""

import base64
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from audit.models import AccessLogEntry
from audit.services import log_access

from ..models import Case, Determination, IssuedReport, User
from .documents import case_file_name, determination_file_name, render_determination_document
from .issuing import case_report_issue, determination_report_issue


@dataclass(frozen=True)
class Download:
    pdf: bytes
    file_name: str
    sha256: str
    description: str


def determination_download(
    *, determination: Determination, kind: IssuedReport.Kind, user: User
) -> Download:
    """A draft is rendered fresh with its watermark and never stored; any other state
    returns the bytes issued for it (issued now if this is the first time)."""
    label = IssuedReport.Kind(kind).label
    file_name = determination_file_name(determination, kind)
    if determination.is_draft:
        rendered = render_determination_document(
            determination.pk, kind, generated_at=timezone.now()
        )
        return Download(
            rendered.pdf,
            file_name,
            rendered.sha256,
            f"{label} v{determination.version}, draft (not issued)",
        )
    issued = determination_report_issue(determination=determination, kind=kind, issued_by=user)
    return Download(
        issued.read_pdf(),
        file_name,
        issued.sha256,
        f"{label} v{issued.version}, {issued.get_determination_status_display().lower()}, "
        f"issued report {issued.pk}, SHA-256 {issued.sha256}",
    )


def case_download(*, case: Case, kind: IssuedReport.Kind, user: User) -> Download:
    """The case summary or work status report as the case stands now, issued as the next
    version; raises ``documents.NothingToReport`` when there is nothing to show."""
    issued = case_report_issue(case=case, kind=kind, issued_by=user)
    return Download(
        issued.read_pdf(),
        case_file_name(case, kind, issued.issued_at),
        issued.sha256,
        f"{issued.get_kind_display()} v{issued.version}, issued report {issued.pk}, "
        f"SHA-256 {issued.sha256}",
    )


def log_report_download(request: HttpRequest, *, case: Case, download: Download) -> None:
    """Every report download is logged: who, when, which document and version."""
    log_access(
        request,
        action=AccessLogEntry.Action.REPORT_DOWNLOAD,
        case=case,
        detail=download.description,
    )


def pdf_response(download: Download) -> HttpResponse:
    """The PDF as an attachment, never cached by a shared cache; the SHA-256 of the bytes in
    a Repr-Digest header (RFC 9530) so a client can check what it received."""
    response = HttpResponse(download.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{download.file_name}"'
    response["Cache-Control"] = "private, no-store"
    digest = base64.b64encode(bytes.fromhex(download.sha256)).decode()
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response
