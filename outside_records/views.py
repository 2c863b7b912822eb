"""The outside records pages: the upload form, a record with its history, its download and
its withdrawal. Views are thin: access → form → service → redirect or render. A file goes out
only as a download, never shown inline, and every look and download is in the access log."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import log_access
from cases.access import Capability, get_case_for, has_capability
from cases.models import Case
from cases.views.requests import AuthenticatedHttpRequest

from . import downloads, reading, services
from .access import get_record_for
from .forms import RecordUploadForm, WithdrawForm
from .intake import megabytes
from .models import OutsideRecord, RecordLocked
from .selectors import citing_certifications


@require_http_methods(["GET", "POST"])
def record_upload(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Add one or more outside records to the case: its clinicians, its case manager and
    the administrators."""
    case = get_case_for(
        request.user,
        case_id,
        capability=Capability.ADD_OUTSIDE_RECORDS,
        refine=lambda cases: cases.select_related("patient"),
    )
    if request.method == "POST":
        if services.declared_too_large(request.META):
            return _upload_page(
                request, case, RecordUploadForm(), status=413, refusal=_too_large_message()
            )
        form = RecordUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                records = services.records_upload(
                    case=case, files=data["documents"], details=form.details(), by=request.user
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                added = len(records)
                messages.success(
                    request,
                    "The record was added." if added == 1 else f"{added} records were added.",
                )
                return redirect(_return_to(request) or f"{case.get_absolute_url()}#outside-records")
        messages.error(request, "Nothing was added: please see the reasons below.")
        return _upload_page(request, case, form, status=400 if form.non_field_errors() else 200)
    log_access(
        request, action=AccessLogEntry.Action.CASE_VIEW, case=case, detail="New outside record"
    )
    return _upload_page(request, case, RecordUploadForm())


@require_http_methods(["GET"])
def record_detail(request: AuthenticatedHttpRequest, record_id: int) -> HttpResponse:
    """A record: what it is, who sent it, its history, and its file to download."""
    record = get_record_for(request.user, record_id)
    log_access(
        request,
        action=AccessLogEntry.Action.CASE_VIEW,
        case=record.case,
        detail=f"Outside record {record.pk}",
    )
    return _record_page(
        request,
        record,
        withdraw_form=WithdrawForm()
        if has_capability(request.user, Capability.ADD_OUTSIDE_RECORDS) and not record.is_withdrawn
        else None,
    )


@require_http_methods(["GET"])
def record_download(request: AuthenticatedHttpRequest, record_id: int) -> FileResponse:
    """The record's PDF, as a download only: never opened in the page."""
    return downloads.record_download(request, get_record_for(request.user, record_id))


@require_http_methods(["GET"])
def record_page_image(
    request: AuthenticatedHttpRequest, record_id: int, number: int
) -> HttpResponse:
    """A small picture of one page of the record: how its pages are shown, never the PDF
    itself in the browser."""
    record = get_record_for(request.user, record_id)
    if not 1 <= number <= record.stored_file.page_count or not reading.pictures_available():
        raise Http404("No such page.")
    log_access(
        request,
        action=AccessLogEntry.Action.CASE_VIEW,
        case=record.case,
        detail=f"Outside record {record.pk}, page {number}",
    )
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        with record.stored_file.file.open("rb") as source:
            copy.write(source.read())
        copy.flush()
        picture = reading.page_picture(Path(copy.name), number, dpi=reading.THUMBNAIL_DPI)
    response = HttpResponse(picture, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def record_withdraw(request: AuthenticatedHttpRequest, record_id: int) -> HttpResponse:
    """Withdraw a record sent by mistake, with the reason; it stays in the history."""
    record = get_record_for(request.user, record_id, capability=Capability.ADD_OUTSIDE_RECORDS)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.record_withdraw(
                record=record, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RecordLocked as locked:
            # The record is as a signed certification read it: nothing was changed.
            messages.error(request, str(locked))
            return _record_page(request, record, withdraw_form=None, status=409)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, "The record was withdrawn; it stays in the case's history.")
            return redirect("outside_records:record-detail", record_id=record.pk)
    else:
        messages.error(request, "Say why the record is withdrawn.")
    return _record_page(request, record, withdraw_form=form, status=400)


def _record_page(
    request: AuthenticatedHttpRequest,
    record: OutsideRecord,
    *,
    withdraw_form: WithdrawForm | None,
    status: int = 200,
) -> HttpResponse:
    history = list(record.history.select_related("history_user").order_by("-history_date"))
    cited_by = citing_certifications(record)
    return render(
        request,
        "outside_records/record_detail.html",
        {
            "record": record,
            "case": record.case,
            "history": history,
            "pages": list(record.stored_file.pages.all()),
            "ocr_installed": reading.tesseract_available(),
            "pictures": reading.pictures_available(),
            # A record a signed certification cites stays as it was read.
            "withdraw_form": None if cited_by else withdraw_form,
            "cited_by": cited_by,
        },
        status=status,
    )


def _upload_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    form: RecordUploadForm,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    return render(
        request,
        "outside_records/upload.html",
        {
            "case": case,
            "form": form,
            "refusal": refusal,
            "max_file": megabytes(settings.OUTSIDE_RECORD_MAX_FILE_BYTES),
            "max_upload": megabytes(settings.OUTSIDE_RECORD_MAX_UPLOAD_BYTES),
            "max_files": settings.OUTSIDE_RECORD_MAX_FILES,
            "back": _return_to(request),
        },
        status=status,
    )


def _return_to(request: AuthenticatedHttpRequest) -> str:
    """The page of this site the upload was opened from (a determination's step, a dispute),
    as a path in the query string (the form posts back to the same address): anything else,
    another site's address included, is ignored."""
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return target
    return ""


def _too_large_message() -> str:
    limit = megabytes(settings.OUTSIDE_RECORD_MAX_UPLOAD_BYTES)
    return f"Nothing was added: the upload is larger than {limit}. Send fewer files at once."
