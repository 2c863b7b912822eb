"""The search of outside records' text: one case's records from its page, or every case's the
user sees from "Search records". Whatever a results page shows is in the access log as a view
of its case, like the record pages."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from audit.models import AccessLogEntry
from audit.services import log_access, log_accesses_by
from cases.access import Capability, get_case_for, has_capability
from cases.models import Case
from cases.views.requests import AuthenticatedHttpRequest
from mmi_tracker.addresses import client_address

from . import search
from .forms import RecordSearchForm
from .models import OutsideRecord


@require_http_methods(["GET"])
def case_record_search(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Search the text of the case's outside records, those the user may see: a view of
    the case, in the access log with the records it showed."""
    case = get_case_for(request.user, case_id, refine=lambda cases: cases.select_related("patient"))
    form = RecordSearchForm(request.GET)
    query, page = _search(request, form, case=case)
    shown = page.object_list if page is not None else []
    log_access(
        request,
        action=AccessLogEntry.Action.CASE_VIEW,
        case=case,
        detail=_search_detail(query, [found.record for found in shown]),
    )
    return render(
        request,
        "outside_records/case_search.html",
        {
            "case": case,
            "form": form,
            "query": query,
            "page": page,
            "full_text": search.full_text(),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def record_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search the text of the outside records of every case the user may see. Each case a
    results page shows is in the access log as viewed, with the records shown."""
    if not has_capability(request.user, Capability.SEARCH_RECORDS):
        raise PermissionDenied("Your role searches the records of one case at a time.")
    form = RecordSearchForm(request.GET)
    query, page = _search(request, form, case=None)
    if page is not None and page.object_list:
        shown: dict[Case, list[OutsideRecord]] = {}
        for found in page.object_list:
            shown.setdefault(found.record.case, []).append(found.record)
        log_accesses_by(
            request.user,
            action=AccessLogEntry.Action.CASE_VIEW,
            entries=[(case, _search_detail(query, records)) for case, records in shown.items()],
            client_address=client_address(request),
        )
    return render(
        request,
        "outside_records/search.html",
        {"form": form, "query": query, "page": page, "full_text": search.full_text()},
        status=400 if form.errors else 200,
    )


def _search(
    request: AuthenticatedHttpRequest, form: RecordSearchForm, *, case: Case | None
) -> tuple[str, Page | None]:
    """The query and its page of results; no results for an empty query or a refused one."""
    if not form.is_valid() or not form.cleaned_data["q"]:
        return "", None
    query = form.cleaned_data["q"]
    page = search.records_search(
        user=request.user, query=query, case=case, page_number=request.GET.get("page")
    )
    return query, page


def _search_detail(query: str, records: list[OutsideRecord]) -> str:
    if not query:
        return "Outside records search"
    listed = ", ".join(str(record.pk) for record in records) or "none"
    return f"Outside records search, records shown: {listed} (searched for: {query})"
