"""The case's change history, in plain words."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit.models import AccessLogEntry
from audit.services import log_access

from ..access import get_case_for
from ..selectors.history import case_history
from .requests import AuthenticatedHttpRequest


@require_safe
def case_history_view(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id)
    log_access(request, action=AccessLogEntry.Action.CASE_HISTORY_VIEW, case=case)
    return render(request, "cases/case_history.html", {"case": case, "entries": case_history(case)})
