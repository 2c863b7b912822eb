from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.models import AccessLogEntry
from audit.services import log_access

from .. import services
from ..access import (
    Capability,
    cases_visible_to,
    get_case_for,
    has_capability,
    patients_visible_to,
)
from ..forms.cases import (
    CaseForm,
    PatientChoiceForm,
    PatientForm,
    disability_periods_cleaned,
    disability_periods_formset,
)
from ..reports.preparing import determinations_being_prepared
from ..selectors.benefits import case_benefits
from ..selectors.cases import case_page, current_work_status
from ..selectors.outcomes import case_outcome_trends_from_scores
from .requests import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def case_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.OPEN_CASE):
        raise PermissionDenied("Only case managers open cases.")
    patients = patients_visible_to(request.user)
    choice = PatientChoiceForm(request.POST or None, patients=patients, prefix="choice")
    patient_form = PatientForm(request.POST or None, prefix="patient")
    form = CaseForm(request.POST or None, prefix="case", user=request.user)
    periods = disability_periods_formset(request.POST or None)
    if request.method == "POST":
        choice_ok = choice.is_valid()
        existing = choice.cleaned_data.get("existing_patient") if choice_ok else None
        patient_ok = existing is not None or patient_form.is_valid()
        if choice_ok and patient_ok and form.is_valid() and periods.is_valid():
            try:
                with transaction.atomic():
                    patient = existing or services.patient_create(**patient_form.cleaned_data)
                    case = services.case_open(
                        opened_by=request.user,
                        patient=patient,
                        disability_periods=disability_periods_cleaned(periods),
                        **_case_fields(form),
                    )
            except ValidationError as error:
                _periods_error(periods, error)
            else:
                messages.success(request, f"Case {case.claim_number} opened.")
                return redirect(case)
        messages.error(request, "The case was not opened: please correct the fields marked below.")
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "periods": periods,
            "patient_form": patient_form,
            "choice": choice,
            "title": "Open a case",
        },
    )


def _case_fields(form: CaseForm) -> dict:
    fields = dict(form.cleaned_data)
    fields["tracked"] = fields.pop("tracked_instruments")
    return fields


def _periods_error(periods, error: ValidationError) -> None:
    """Show the services' refusal of the periods of disability above the periods."""
    messages_by_field = error.message_dict if hasattr(error, "error_dict") else {}
    problems = messages_by_field.get("disability_periods", error.messages)
    periods.non_form_errors().extend(problems)


@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, capability=Capability.MANAGE_CASE)
    form = CaseForm(request.POST or None, instance=case, prefix="case", user=request.user)
    periods = disability_periods_formset(request.POST or None, case=case)
    if request.method == "POST":
        if form.is_valid() and periods.is_valid():
            try:
                services.case_update(
                    case=case,
                    disability_periods=disability_periods_cleaned(periods),
                    **_case_fields(form),
                )
            except ValidationError as error:
                _periods_error(periods, error)
            else:
                if not cases_visible_to(request.user).filter(pk=case.pk).exists():
                    # Handed over to another case manager: the case has left the user's list.
                    messages.success(
                        request,
                        f"Case {case.claim_number} saved and handed over to {case.case_manager}.",
                    )
                    return redirect("case-list")
                messages.success(request, "Case details saved.")
                return redirect(case)
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "periods": periods, "case": case, "title": "Edit case details"},
    )


@require_http_methods(["GET", "POST"])
def patient_edit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The details of the case's patient, changed by whoever manages the case; the patient's
    history keeps every version."""
    case = get_case_for(
        request.user,
        case_id,
        capability=Capability.MANAGE_CASE,
        refine=lambda cases: cases.select_related("patient"),
    )
    form = PatientForm(request.POST or None, instance=case.patient, prefix="patient")
    if request.method == "POST":
        if form.is_valid():
            try:
                services.patient_update(patient=case.patient, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"The details of {case.patient} were saved.")
                return redirect(case)
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    return render(
        request,
        "cases/patient_form.html",
        {"form": form, "case": case, "title": "Edit patient details"},
    )


def case_detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The case record. A long one lists its latest assessments and timeline entries;
    ``?assessments=all`` and ``?timeline=all`` list all of them."""
    all_assessments = request.GET.get("assessments") == "all"
    whole_timeline = request.GET.get("timeline") == "all"
    page = case_page(
        case_id, request.user, all_assessments=all_assessments, whole_timeline=whole_timeline
    )
    if page is None:
        raise Http404("No such case.")
    case = page.case
    log_access(request, action=AccessLogEntry.Action.CASE_VIEW, case=case)
    determinations = list(case.determinations.all())
    if not has_capability(request.user, Capability.SEE_DRAFTS):
        determinations = [d for d in determinations if not d.is_draft]
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "assessments": page.assessments,
            "all_assessments": all_assessments,
            "timeline": page.timeline,
            "whole_timeline": whole_timeline,
            "statutory": case.statutory_mmi(),
            "work_status": current_work_status(case),
            "outcomes": case_outcome_trends_from_scores(case, page.scores),
            "determinations": determinations,
            "documents_preparing": determinations_being_prepared(determinations, ask=False),
            "may_record": has_capability(request.user, Capability.RECORD_CLINICAL),
            "may_manage": has_capability(request.user, Capability.MANAGE_CASE),
            "may_determine": has_capability(request.user, Capability.DETERMINE),
            # A draft or a certification in force: the case gets no new determination.
            "current_determination": next(
                (d for d in determinations if d.is_draft or d.is_in_force), None
            ),
            "benefits": case_benefits(case)
            if has_capability(request.user, Capability.SEE_BENEFITS)
            else None,
        },
    )
