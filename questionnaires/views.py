"""The clinician's item-by-item entry of a questionnaire, beside the total-only assessment
form (docs/domain.md §12)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases.access import Capability, get_case_for
from cases.domain.outcomes import ScoreOutOfRange
from cases.models import User
from cases.views.requests import AuthenticatedHttpRequest

from .forms import ResponseEntryForm
from .models import Response
from .selectors import definition_with_items, definitions_to_enter
from .services import AnswerRefused, response_submit


@require_GET
def response_choose(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The instruments with a definition, those the case tracks first."""
    case = get_case_for(request.user, case_id, capability=Capability.RECORD_CLINICAL)
    tracked = set(case.tracked_instruments.values_list("pk", flat=True))
    definitions = sorted(
        definitions_to_enter(), key=lambda d: (d.instrument_id not in tracked, d.title_en)
    )
    return render(
        request,
        "questionnaires/response_choose.html",
        {
            "case": case,
            "title": "Enter a questionnaire item by item",
            "rows": [(d, d.instrument_id in tracked) for d in definitions],
        },
    )


@require_http_methods(["GET", "POST"])
def response_enter(
    request: AuthenticatedHttpRequest, case_id: int, definition_id: int
) -> HttpResponse:
    case = get_case_for(request.user, case_id, capability=Capability.RECORD_CLINICAL)
    definition = definition_with_items(definition_id)
    if definition is None:
        raise Http404("No such questionnaire.")
    clinicians = User.objects.filter(
        Q(pk__in=case.care_team.values("pk")) | Q(pk=request.user.pk)
    ).order_by("last_name", "first_name")
    form = ResponseEntryForm(
        request.POST or None,
        definition=definition,
        clinicians=clinicians,
        initial={"clinician": request.user},
    )
    result = None
    if request.method == "POST":
        if form.is_valid():
            result = form.result()
            if "save" in request.POST:
                try:
                    response = response_submit(
                        case=case,
                        definition=definition,
                        answers=form.answers,
                        named=form.named,
                        source=Response.Source.CLINICIAN,
                        date=form.cleaned_data["date"],
                        clinician=form.cleaned_data["clinician"],
                        entered_by=request.user,
                    )
                except AnswerRefused as refused:
                    for key, reason in refused.errors.items():
                        form.add_error(None, f"Item {key}: {reason}.")
                except (ValidationError, ScoreOutOfRange) as error:
                    form.add_error(None, "; ".join(getattr(error, "messages", [str(error)])))
                else:
                    _saved_messages(request, response, result.summary)
                    return redirect(f"{case.get_absolute_url()}#assessments")
        if not form.is_valid():
            result = None
            messages.error(request, "Nothing was saved: please correct the fields marked below.")
    abbreviation = definition.instrument.abbreviation
    return render(
        request,
        "questionnaires/response_form.html",
        {
            "form": form,
            "case": case,
            "definition": definition,
            "result": result,
            "missing_items": _missing(definition, result),
            "title": f"Enter the {abbreviation} item by item",
        },
    )


def _missing(definition, result) -> list:
    if result is None:
        return []
    missing = set(result.missing)
    return [item for item in definition.items.all() if item.key in missing]


def _saved_messages(request: AuthenticatedHttpRequest, response: Response, summary: str) -> None:
    abbreviation = response.definition.instrument.abbreviation
    if response.is_complete and response.score is not None:
        messages.success(
            request,
            f"The {abbreviation} was saved with its assessment: score "
            f"{response.score.normalize():f}. {summary}",
        )
    else:
        messages.warning(
            request, f"The {abbreviation} was saved as incomplete and not scored. {summary}"
        )
    if response.safety_alert:
        messages.warning(
            request,
            "A safety item was answered above 0: the other clinicians on the case were "
            "alerted. Assess the patient's safety today (988 Suicide & Crisis Lifeline: call "
            "or text 988).",
        )
