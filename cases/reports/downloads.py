"""The one door of every download, whether asked for from a page, the API or the bulk
export page: what is served, the response that carries it and the access log entry that
records it (docs/architecture.md §8).

Callers check access first (cases/access.py), then build a ``Download`` with one of the
functions here and answer ``respond(request, download)``.
"""

import base64
from dataclasses import dataclass

from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from audit.models import AccessLogEntry
from audit.services import log_access

from ..models import Case, Determination, IssuedReport, ReportExport, User
from .documents import case_file_name, determination_file_name, render_determination_document
from .issuing import case_report_issue, determination_report_issue


@dataclass(frozen=True)
class Download:
    """A document to hand over and what the access log says of it.

    ``content`` is the bytes, or a stored file that is streamed (a bulk export may be large);
    ``sha256`` the hash of those bytes, sent as the Repr-Digest header when there is one;
    ``description`` the access log entry's detail."""

    content: bytes | File
    file_name: str
    sha256: str
    description: str
    case: Case | None = None
    action: AccessLogEntry.Action = AccessLogEntry.Action.REPORT_DOWNLOAD
    content_type: str = "application/pdf"


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
            case=determination.case,
        )
    issued = determination_report_issue(determination=determination, kind=kind, issued_by=user)
    return Download(
        issued.read_pdf(),
        file_name,
        issued.sha256,
        f"{label} v{issued.version}, {issued.get_determination_status_display().lower()}, "
        f"issued report {issued.pk}, SHA-256 {issued.sha256}",
        case=determination.case,
    )


def case_download(*, case: Case, kind: IssuedReport.Kind, user: User) -> Download:
    """The case summary or work status report as the case stands now, issued as the next
    version; raises ``documents.NothingToReport`` when there is nothing to show."""
    issued = case_report_issue(case=case, kind=kind, issued_by=user)
    return Download(
        issued.read_pdf(),
        case_file_name(case, kind, issued.issued_at),
        issued.sha256,
        _issued_words(issued),
        case=case,
    )


def issued_report_download(report: IssuedReport) -> Download:
    """A report already issued, by its id, as the API serves it: the stored bytes exactly."""
    return Download(
        report.read_pdf(),
        f"report-{report.pk}.pdf",
        report.sha256,
        f"API: {_issued_words(report)}",
        case=report.case,
    )


def _issued_words(issued: IssuedReport) -> str:
    """How the access log names an issued report: kind, version, id and hash."""
    return (
        f"{issued.get_kind_display()} v{issued.version}, issued report {issued.pk}, "
        f"SHA-256 {issued.sha256}"
    )


def report_export_download(export: ReportExport) -> Download:
    """A finished bulk export: its stored ZIP, streamed."""
    return Download(
        export.file,
        export.file_name,
        export.sha256,
        f"Export {export.pk}: {len(export.report_ids)} signed certifications, "
        f"SHA-256 {export.sha256}",
        action=AccessLogEntry.Action.EXPORT_DOWNLOAD,
        content_type="application/zip",
    )


def respond(request: HttpRequest, download: Download) -> HttpResponseBase:
    """Log the download (who, when, which document and version), then answer it."""
    log_access(request, action=download.action, case=download.case, detail=download.description)
    return _attachment(download)


def _attachment(download: Download) -> HttpResponseBase:
    """The document as an attachment, never cached by a shared cache; the SHA-256 of the
    bytes in a Repr-Digest header (RFC 9530) so a client can check what it received."""
    response: HttpResponseBase
    if isinstance(download.content, bytes):
        response = HttpResponse(download.content, content_type=download.content_type)
        response["Content-Disposition"] = f'attachment; filename="{download.file_name}"'
    else:
        response = FileResponse(
            download.content.open("rb"),
            as_attachment=True,
            filename=download.file_name,
            content_type=download.content_type,
        )
    response["Cache-Control"] = "private, no-store"
    if download.sha256:
        digest = base64.b64encode(bytes.fromhex(download.sha256)).decode()
        response["Repr-Digest"] = f"sha-256=:{digest}:"
    return response
