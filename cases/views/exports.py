"""Bulk exports of signed certifications: asked for from the case list, built in the
background (cases/services/report_exports.py), watched on their own page, downloaded by the
requester only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from mmi_tracker.addresses import client_address

from ..access import (
    Capability,
    exports_of,
    get_cases_for,
    get_export_for,
    has_capability,
)
from ..filters import CaseFilter
from ..forms.exports import ExportRequestForm
from ..reports.downloads import report_export_download, respond
from ..services.report_exports import ExportRefused, report_export_request
from .requests import AuthenticatedHttpRequest

EXPORTS_LISTED = 50


def _require_export_capability(request: AuthenticatedHttpRequest) -> None:
    if not has_capability(request.user, Capability.EXPORT_REPORTS):
        raise PermissionDenied("Your role does not export reports.")


@require_POST
def export_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """From the case list: the ticked cases, or every case in its filter."""
    _require_export_capability(request)
    form = ExportRequestForm(request.POST)
    valid = form.is_valid()
    filter_query = form.cleaned_data.get("filter", "")
    case_list = reverse("case-list") + (f"?{filter_query}" if filter_query else "")
    if not valid:
        for error in form.errors.values():
            # An ErrorList reads out its messages (ErrorList.__getitem__), never the
            # ValidationError it may hold; django-stubs types its items as stored.
            messages.error(request, error[0])  # type: ignore[arg-type]
        return redirect(case_list)
    if form.cleaned_data["scope"] == ExportRequestForm.SELECTED:
        cases = get_cases_for(request.user, form.cleaned_data["case"])
        filter_query = ""
    else:
        filtered = CaseFilter.of_user(QueryDict(filter_query), request.user)
        if not filtered.is_valid():
            messages.error(request, "The filter is not valid: correct it, then export again.")
            return redirect(case_list)
        cases = filtered.qs
    try:
        export = report_export_request(
            requested_by=request.user,
            cases=cases,
            scope=form.cleaned_data["scope"],
            filter_query=filter_query,
            client_address=client_address(request),
        )
    except ExportRefused as refused:
        messages.error(request, str(refused))
        return redirect(case_list)
    return redirect(export)


@require_safe
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_export_capability(request)
    exports = list(exports_of(request.user)[:EXPORTS_LISTED])
    return render(request, "cases/exports/export_list.html", {"exports": exports})


@require_safe
def export_detail(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponse:
    export = get_export_for(request.user, export_id)
    return render(request, "cases/exports/export_detail.html", {"export": export})


@require_safe
def export_progress(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponse:
    """The progress partial the detail page polls (htmx) until the export is finished."""
    export = get_export_for(request.user, export_id)
    return render(request, "cases/exports/_progress.html", {"export": export})


@require_safe
def export_download(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponseBase:
    export = get_export_for(request.user, export_id)
    if not export.is_downloadable:
        raise Http404("This export has no file to download.")
    return respond(request, report_export_download(export))
