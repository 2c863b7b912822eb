"""The impairment and benefit calculators: a page for people, JSON endpoints for programs.

Both parse with the same forms (cases/forms/calculators.py) and run the same pure rules. The
endpoints answer JSON every time: 400 naming the bad parameter, and 401 rather than the login
redirect that LoginRequiredMiddleware gives pages. ``calculator_answer`` (a bound form → the
rule → the answer as JSON data) is the one way to an answer, for these endpoints and for the
versioned API's (api/views.py ``CalculatorView``).
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..domain.impairment import Conversion, Working
from ..domain.jurisdictions import StatutoryMMI
from ..domain.jurisdictions.base import exact_amount
from ..forms.calculators import (
    CALCULATORS,
    CalculatorForm,
    CombineForm,
    ConvertForm,
    ImpairmentBenefitsForm,
    StatutoryMMIForm,
    first_error,
)
from ..selectors.benefits import ImpairmentBenefits
from .requests import AuthenticatedHttpRequest


def _json_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_not_required
    @wraps(view)
    def answer(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse(
                {"error": {"message": "Log in to use the calculators."}}, status=401
            )
        return view(request, *args, **kwargs)

    return answer


class CalculatorRefused(Exception):
    """The input is not valid, or the rule refuses it: the parameter at fault (the first one,
    in the order of the form's fields) and why."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def calculator_answer(form: CalculatorForm) -> dict:
    """Validate the bound form, run its rule and give the answer as plain JSON values (money
    and dates already strings, so Django's and DRF's encoders write the same), or raise
    ``CalculatorRefused``."""
    result = form.calculate() if form.is_valid() else None
    if result is None:
        raise CalculatorRefused(*first_error(form))
    return _AS_JSON[type(form)](form, result)


def _answer(request: HttpRequest, form_class: type[CalculatorForm]) -> JsonResponse:
    """Validate the query, calculate, and answer the result or the first error as JSON."""
    try:
        return JsonResponse(calculator_answer(form_class(request.GET)))
    except CalculatorRefused as refused:
        return JsonResponse(
            {"error": {"parameter": refused.parameter, "message": refused.message}}, status=400
        )


def _money(amount: Decimal) -> str:
    """An amount with its cents and every further decimal it has: "639.00", "490.245"."""
    return f"{exact_amount(amount):f}"


def _combine_json(form: CombineForm, working: Working) -> dict:
    return {"result": working.result, "steps": [step.text for step in working.steps]}


def _convert_json(form: ConvertForm, conversion: Conversion) -> dict:
    # The starting level is the input; answer every level above it.
    levels = {level.value: value for level, value in conversion.values[1:]}
    return {**levels, "steps": [step.text for step in conversion.steps]}


def _statutory_mmi_json(form: StatutoryMMIForm, result: StatutoryMMI) -> dict:
    return {
        "accrual_date": result.accrual_date.isoformat(),
        "statutory_mmi_date": result.mmi_date.isoformat(),
    }


def _impairment_benefits_json(form: ImpairmentBenefitsForm, benefits: ImpairmentBenefits) -> dict:
    estimate = benefits.estimate
    answer: dict = {"jurisdiction": form.cleaned_data["jurisdiction"].code}
    # Every figure of the jurisdiction's estimate (Texas adds its caps; Florida its temporary
    # total rate, the limits it was held within and the halved weekly rate); money as exact
    # strings with at least the cents, so no float rounding and nothing the law leaves exact
    # is rounded.
    for field in fields(estimate):
        value = getattr(estimate, field.name)
        answer[field.name] = _money(value) if isinstance(value, Decimal) else value
    answer["state_average_weekly_wage_source"] = (
        benefits.state_wage.source if benefits.state_wage else None
    )
    answer["steps"] = list(answer.pop("steps"))
    return answer


_AS_JSON: dict[type[CalculatorForm], Callable[[Any, Any], dict]] = {
    CombineForm: _combine_json,
    ConvertForm: _convert_json,
    StatutoryMMIForm: _statutory_mmi_json,
    ImpairmentBenefitsForm: _impairment_benefits_json,
}


@_json_login_required
@require_GET
def combine_endpoint(request: HttpRequest) -> JsonResponse:
    return _answer(request, CombineForm)


@_json_login_required
@require_GET
def convert_endpoint(request: HttpRequest) -> JsonResponse:
    return _answer(request, ConvertForm)


@_json_login_required
@require_GET
def statutory_mmi_endpoint(request: HttpRequest) -> JsonResponse:
    return _answer(request, StatutoryMMIForm)


@_json_login_required
@require_GET
def impairment_benefits_endpoint(request: HttpRequest) -> JsonResponse:
    return _answer(request, ImpairmentBenefitsForm)


@dataclass(frozen=True)
class Panel:
    """One calculator on the page: its form and, once calculated, its result."""

    form: CalculatorForm
    result: object = None


@require_GET
def calculator(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every calculator on one page; the one named by ``calculator`` is bound to the query.

    With htmx only that calculator's panel is answered, to be swapped in place.
    """
    chosen = request.GET.get("calculator", "")
    panels = []
    for name, form_class in CALCULATORS.items():
        if name == chosen:
            form = form_class(request.GET)
            panels.append(Panel(form, form.calculate() if form.is_valid() else None))
        else:
            panels.append(Panel(form_class()))
    if request.htmx and chosen in CALCULATORS:
        panel = next(panel for panel in panels if panel.form.name == chosen)
        return render(request, "cases/partials/calculator_panel.html", {"panel": panel})
    return render(request, "cases/calculator.html", {"panels": panels})
