"""The case's chronology page: its outside records among its own events, by date."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from audit.models import AccessLogEntry
from audit.services import log_access
from cases.views.requests import AuthenticatedHttpRequest

from .chronology import EVERYTHING, SHOW_CHOICES, case_chronology

OLDEST_FIRST = "oldest"
NEWEST_FIRST = "newest"


class ChronologyForm(forms.Form):
    show = forms.ChoiceField(label="Show", choices=SHOW_CHOICES, required=False)
    order = forms.ChoiceField(
        label="Order",
        choices=[(OLDEST_FIRST, "Oldest first"), (NEWEST_FIRST, "Newest first")],
        required=False,
    )


@require_safe
def case_chronology_view(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Everything that happened on the case and every outside record, by date; narrowed to
    the case's events, the records or one type of record, oldest or newest first. A choice
    that is not offered is said so, and everything is shown, oldest first."""
    form = ChronologyForm(request.GET)
    valid = form.is_valid()
    show = form.cleaned_data["show"] if valid else EVERYTHING
    newest_first = valid and form.cleaned_data["order"] == NEWEST_FIRST
    chronology = case_chronology(request.user, case_id, show=show, newest_first=newest_first)
    if chronology is None:
        raise Http404("No such case.")
    log_access(
        request, action=AccessLogEntry.Action.CASE_VIEW, case=chronology.case, detail="Chronology"
    )
    return render(
        request,
        "outside_records/chronology.html",
        {
            "case": chronology.case,
            "entries": chronology.entries,
            "form": form,
            "show": show,
            "newest_first": newest_first,
        },
    )
