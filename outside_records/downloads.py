"""A record's file as it goes out, from its page and from the API alike: a logged download,
never something a browser shows inline."""

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.text import slugify

from audit.models import AccessLogEntry
from audit.services import log_access

from .models import OutsideRecord


def record_download(request: HttpRequest, record: OutsideRecord) -> FileResponse:
    """The record's PDF as an attachment, logged in the access log. ``record`` is one the
    user may see (outside_records/access.py), with its case and stored file loaded."""
    log_access(
        request,
        action=AccessLogEntry.Action.REPORT_DOWNLOAD,
        case=record.case,
        detail=f"Outside record {record.pk} ({record.original_name})",
    )
    response = FileResponse(
        record.stored_file.file.open("rb"),
        as_attachment=True,
        filename=download_name(record),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Should a browser open it all the same, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def download_url(request: HttpRequest, record: OutsideRecord) -> str:
    """Where the API serves the record's file, as an absolute URL: what a client of the API
    or of the FHIR export follows."""
    return request.build_absolute_uri(
        reverse("api:outside-record-download", kwargs={"record_id": record.pk})
    )


def download_name(record: OutsideRecord) -> str:
    stem = slugify(record.original_name.rsplit(".", 1)[0])[:60] or "record"
    return f"{record.case.claim_number}-{stem}.pdf"
