"""The live whole person rating while a clinician edits the impairment items (htmx)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ..access import Capability, get_determination_for
from ..forms.impairment import ITEMS_PREFIX, ImpairmentItemFormSet, rate
from .requests import AuthenticatedHttpRequest


@require_POST
def determination_impairment_rating(
    request: AuthenticatedHttpRequest, determination_id: int
) -> HttpResponse:
    """Rate the items as they are in the form right now; nothing is saved."""
    get_determination_for(request.user, determination_id, capability=Capability.DETERMINE)
    working, problem = rate(ImpairmentItemFormSet(request.POST, prefix=ITEMS_PREFIX))
    return render(
        request,
        "cases/determinations/impairment_working.html",
        {"working": working, "problem": problem},
    )
