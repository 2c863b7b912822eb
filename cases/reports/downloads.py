"""The one door of every download, whether asked for from a page, the API or the bulk
export page: what is served, the response that carries it and the access log entry that
records it (docs/architecture.md §8).

Every PDF handed over is stored bytes: nothing is rendered here. A document not stored yet
for the state asked for (cases/reports/preparing.py) is asked for, and the answer says it
is being prepared; an older rendering is never handed over instead.

Callers check access first (cases/access.py), then build a ``Download`` (or learn that the
document is ``Preparing``) with one of the functions here and answer
``respond(request, ...)``.
"""

import base64
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string

from audit.models import AccessLogEntry
from audit.services import log_access

from .. import events
from ..models import Case, Determination, IssuedReport, ReportExport, User
from . import preparing
from .documents import NothingToReport, case_file_name, determination_file_name
from .issuing import case_report_issue

logger = logging.getLogger(__name__)

# How long a client waits before asking again for a document being prepared (a rendering
# takes a few seconds), or for one whose file could not be read.
RETRY_AFTER = 3


@dataclass(frozen=True)
class Download:
    """A document to hand over and what the access log says of it.

    ``content`` is the bytes, or a stored file that is streamed (a bulk export may be large);
    ``sha256`` the hash of those bytes, sent as the Repr-Digest header when there is one;
    ``description`` the access log entry's detail; ``issued`` the issued report handed over,
    if it is one (a draft's rendering and an export are not)."""

    content: bytes | File
    file_name: str
    sha256: str
    description: str
    case: Case | None = None
    action: AccessLogEntry.Action = AccessLogEntry.Action.REPORT_DOWNLOAD
    content_type: str = "application/pdf"
    issued: IssuedReport | None = None


@dataclass(frozen=True)
class Preparing:
    """The document is not stored yet for the state asked for; it has been asked for."""

    document: str
    back_url: str
    back_to: str


class DocumentUnavailable(Exception):
    """A stored document's file cannot be read just now (a disk or storage fault)."""


class DocumentAltered(Exception):
    """A stored document's bytes no longer hash to the SHA-256 recorded when it was stored:
    the file was changed or damaged, and is never served."""

    def __init__(self, file_name: str, case: Case):
        super().__init__(file_name)
        self.file_name = file_name
        self.case = case


def _checked(pdf: bytes, file: FieldFile, sha256: str, case: Case) -> bytes:
    if hashlib.sha256(pdf).hexdigest() != sha256:
        logger.error(
            "Stored report %s of case %s does not match its recorded SHA-256 %s: refused",
            file.name,
            case.pk,
            sha256,
        )
        raise DocumentAltered(str(file.name), case)
    return pdf


def _read(file: FieldFile, sha256: str, case: Case) -> bytes:
    """The stored bytes, checked against their recorded hash."""
    try:
        with file.open("rb") as stored:
            pdf = stored.read()
    except OSError as error:
        logger.exception("Stored report %s cannot be read", file.name)
        raise DocumentUnavailable(file.name) from error
    return _checked(pdf, file, sha256, case)


def _read_unless_replaced(file: FieldFile, sha256: str, case: Case) -> bytes | None:
    """A draft's rendering, checked against its recorded hash, or None when a newer one
    replaced it (and its file) since the row was read."""
    try:
        with file.open("rb") as stored:
            pdf = stored.read()
    except FileNotFoundError:
        return None
    except OSError as error:
        logger.exception("Stored report %s cannot be read", file.name)
        raise DocumentUnavailable(file.name) from error
    return _checked(pdf, file, sha256, case)


def determination_download(
    *, determination: Determination, kind: IssuedReport.Kind, user: User
) -> Download | Preparing:
    """A draft's document as the draft stands now, watermarked and never issued; any other
    state's, the bytes issued for that state."""
    label = IssuedReport.Kind(kind).label
    file_name = determination_file_name(determination, kind)
    case = determination.case
    if determination.is_draft:
        prepared = preparing.current_prepared(case, kind, determination)
        if prepared is None:
            preparing.report_prepare_ask(
                case=case, kind=kind, determination=determination, user=user
            )
            # Without a broker it has just been rendered.
            prepared = preparing.current_prepared(case, kind, determination)
        pdf = (
            _read_unless_replaced(prepared.file, prepared.sha256, case)
            if prepared is not None
            else None
        )
        if prepared is None or pdf is None:
            return _preparing(f"{label} v{determination.version} (draft)", determination)
        return Download(
            pdf,
            file_name,
            prepared.sha256,
            f"{label} v{determination.version}, draft (not issued)",
            case=case,
        )
    issued = _issued_copy(determination, kind)
    if issued is None:
        preparing.determination_documents_ask(determination=determination, user=user)
        issued = _issued_copy(determination, kind)
    if issued is None:
        return _preparing(f"{label} v{determination.version}", determination)
    return Download(
        _read(issued.file, issued.sha256, case),
        file_name,
        issued.sha256,
        f"{label} v{issued.version}, {issued.get_determination_status_display().lower()}, "
        f"issued report {issued.pk}, SHA-256 {issued.sha256}",
        case=case,
        issued=issued,
    )


def _issued_copy(determination: Determination, kind: str) -> IssuedReport | None:
    return IssuedReport.objects.filter(
        determination=determination, kind=kind, determination_status=determination.status
    ).first()


def _preparing(document: str, determination: Determination) -> Preparing:
    return Preparing(document, determination.get_absolute_url(), "the determination")


def case_download(*, case: Case, kind: IssuedReport.Kind, user: User) -> Download | Preparing:
    """The case summary or work status report of the case as it stands (``case`` as read by
    this request), issued to its first downloader; raises ``documents.NothingToReport`` when
    there is nothing to show."""
    prepared = preparing.current_prepared(case, kind)
    if prepared is None:
        if kind == IssuedReport.Kind.WORK_STATUS and not case.work_statuses.exists():
            raise NothingToReport("No work status has been issued on this case yet.")
        preparing.report_prepare_ask(case=case, kind=kind, determination=None, user=user)
        # Without a broker it has just been rendered.
        prepared = preparing.current_prepared(case, kind)
    issued = prepared.issued if prepared is not None else None
    if prepared is not None and issued is None:
        issued = case_report_issue(prepared=prepared, issued_by=user)
    if prepared is None or issued is None:
        label = IssuedReport.Kind(kind).label
        return Preparing(label, case.get_absolute_url(), "the case")
    return Download(
        _read(issued.file, issued.sha256, case),
        case_file_name(case, kind, prepared.generated_at),
        issued.sha256,
        _issued_words(issued),
        case=case,
        issued=issued,
    )


def issued_report_download(report: IssuedReport) -> Download:
    """A report already issued, by its id, as the API serves it: the stored bytes exactly."""
    return Download(
        _read(report.file, report.sha256, report.case),
        f"report-{report.pk}.pdf",
        report.sha256,
        f"API: {_issued_words(report)}",
        case=report.case,
        issued=report,
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


def respond(request: HttpRequest, download: Download | Preparing) -> HttpResponseBase:
    """Log the download (who, when, which document and version), tell whoever follows
    downloads of issued copies (``events.report_downloaded``), then answer it; or answer
    that the document is being prepared."""
    if isinstance(download, Preparing):
        return being_prepared(request, download)
    log_access(request, action=download.action, case=download.case, detail=download.description)
    if download.issued is not None and request.user.is_authenticated:
        events.send_on_commit(
            events.report_downloaded, IssuedReport, report=download.issued, by=request.user
        )
    return _attachment(download)


def being_prepared(request: HttpRequest, preparing: Preparing) -> HttpResponse:
    """202 Accepted: a page that says so and asks again by itself every few seconds, with
    no script (a meta refresh, which the Content-Security-Policy leaves alone), until the
    answer is the PDF."""
    response = HttpResponse(
        render_to_string(
            "reports/being_prepared.html",
            {"preparing": preparing, "retry_after": RETRY_AFTER},
            request=request,
        ),
        status=202,
    )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "private, no-store"
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    """503: the stored file cannot be read just now; try again shortly."""
    response = HttpResponse(
        render_to_string("reports/unavailable.html", request=request), status=503
    )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "private, no-store"
    return response


def renderings_spent(request: HttpRequest, spent: preparing.RenderingsSpent) -> HttpResponse:
    """429: the user has had their share of documents rendered this minute."""
    response = HttpResponse(
        render_to_string(
            "reports/renderings_spent.html",
            {
                "limit": settings.RENDERINGS_PER_USER_PER_MINUTE,
                "retry_after": spent.retry_after,
            },
            request=request,
        ),
        status=429,
    )
    response["Retry-After"] = str(spent.retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


def log_refused(request: HttpRequest, refused: DocumentAltered) -> None:
    """Put the refusal in the access log, where administrators see it (it is in the error
    log already)."""
    log_access(
        request,
        action=AccessLogEntry.Action.DOCUMENT_REFUSED,
        case=refused.case,
        detail=f"{refused.file_name}: stored bytes do not match their recorded SHA-256",
    )


def altered(request: HttpRequest, refused: DocumentAltered) -> HttpResponse:
    """409: the stored file no longer matches what was issued (``log_refused``)."""
    log_refused(request, refused)
    response = HttpResponse(render_to_string("reports/altered.html", request=request), status=409)
    response["Cache-Control"] = "private, no-store"
    return response


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
