"""PDF downloads: access first (cases/access.py), then the report, logged and answered as an
attachment by the one download module (cases/reports/downloads.py), or a page saying it is
being prepared."""

from collections.abc import Callable

from django.http import Http404
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from ..access import get_case_for, get_determination_for
from ..models import IssuedReport
from ..reports.documents import NothingToReport
from ..reports.downloads import (
    DocumentAltered,
    DocumentUnavailable,
    Download,
    Preparing,
    altered,
    case_download,
    determination_download,
    renderings_spent,
    respond,
    unavailable,
)
from ..reports.preparing import RenderingsSpent
from .requests import AuthenticatedHttpRequest


def _answer(
    request: AuthenticatedHttpRequest, download: Callable[[], Download | Preparing]
) -> HttpResponseBase:
    try:
        return respond(request, download())
    except DocumentUnavailable:
        return unavailable(request)
    except DocumentAltered as refused:
        return altered(request, refused)
    except RenderingsSpent as spent:
        return renderings_spent(request, spent)


def _determination_report(
    request: AuthenticatedHttpRequest, determination_id: int, kind
) -> HttpResponseBase:
    # Adjusters never see drafts: get_determination_for answers 404 for them.
    determination = get_determination_for(request.user, determination_id)
    return _answer(
        request,
        lambda: determination_download(determination=determination, kind=kind, user=request.user),
    )


def _case_report(request: AuthenticatedHttpRequest, case_id: int, kind) -> HttpResponseBase:
    case = get_case_for(request.user, case_id)
    try:
        return _answer(request, lambda: case_download(case=case, kind=kind, user=request.user))
    except NothingToReport as error:
        raise Http404(str(error)) from None


@require_safe
def certification_pdf(request: AuthenticatedHttpRequest, determination_id: int) -> HttpResponseBase:
    return _determination_report(request, determination_id, IssuedReport.Kind.CERTIFICATION)


@require_safe
def patient_letter_pdf(
    request: AuthenticatedHttpRequest, determination_id: int
) -> HttpResponseBase:
    return _determination_report(request, determination_id, IssuedReport.Kind.PATIENT_LETTER)


@require_safe
def case_summary_pdf(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponseBase:
    return _case_report(request, case_id, IssuedReport.Kind.CASE_SUMMARY)


@require_safe
def work_status_pdf(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponseBase:
    return _case_report(request, case_id, IssuedReport.Kind.WORK_STATUS)
