from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import AccessLogEntry
from audit.services import log_access

from .. import services
from ..access import (
    Capability,
    cases_visible_to,
    get_case_for,
    has_capability,
    patients_to_pick,
)
from ..forms.cases import (
    CaseForm,
    PatientChoiceForm,
    PatientForm,
    as_typed,
    disability_periods_cleaned,
    disability_periods_formset,
)
from ..models import Patient
from ..reports.preparing import determinations_being_prepared
from ..selectors.benefits import case_benefits
from ..selectors.cases import case_page, current_work_status
from ..selectors.outcomes import case_outcome_trends_from_scores
from ..selectors.patients import patient_on_file, patients_found
from ..templatetags.dates import day
from .requests import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def case_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.OPEN_CASE):
        raise PermissionDenied("Only case managers open cases.")
    data = request.POST or None
    patient_form = PatientForm(data, prefix="patient")
    on_file = _patient_on_file(patient_form) if data is not None else None
    patients = patients_to_pick(request.user, on_file=on_file)
    choice = PatientChoiceForm(data, patients=patients, prefix="choice")
    form = CaseForm(data, prefix="case", user=request.user)
    periods = disability_periods_formset(data)
    if request.method == "POST":
        choice_ok = choice.is_valid()
        existing = choice.cleaned_data.get("existing_patient") if choice_ok else None
        if _finding_patient(request.POST, choice):
            # Shown again as typed, unjudged, with the patients found.
            return _case_open_page(
                request,
                form=CaseForm(prefix="case", user=request.user, initial=as_typed(form)),
                periods=disability_periods_formset(typed=periods),
                patient_form=PatientForm(prefix="patient", initial=as_typed(patient_form)),
                choice=PatientChoiceForm(prefix="choice", initial=as_typed(choice)),
                picked=existing,
            )
        if existing is None and on_file is not None:
            # The same person, not a new one: offered, picked, for the next save.
            patient_form.add_error(
                None,
                f"{on_file}, born {day(on_file.date_of_birth)}, is already on file: they are "
                "picked under “Find a patient on file” above. Save again to open the case "
                "for them, or correct the name and date of birth if this is someone else.",
            )
        patient_ok = existing is not None or patient_form.is_valid()
        if choice_ok and patient_ok and form.is_valid() and periods.is_valid():
            try:
                with transaction.atomic():
                    added = services.case_parties_add(**form.new_parties())
                    patient = existing or services.patient_create(**patient_form.cleaned_data)
                    case = services.case_open(
                        opened_by=request.user,
                        patient=patient,
                        disability_periods=disability_periods_cleaned(periods),
                        **{**form.case_fields(), **added},
                    )
            except ValidationError as error:
                _refused(error, form=form, periods=periods)
            else:
                messages.success(request, f"Case {case.claim_number} opened.")
                return redirect(case)
        messages.error(request, "The case was not opened: please correct the fields marked below.")
        return _case_open_page(
            request,
            form=form,
            periods=periods,
            patient_form=patient_form,
            choice=choice,
            picked=existing or on_file,
        )
    return _case_open_page(
        request, form=form, periods=periods, patient_form=patient_form, choice=choice
    )


def _case_open_page(
    request: AuthenticatedHttpRequest,
    *,
    form: CaseForm,
    periods,
    patient_form: PatientForm,
    choice: PatientChoiceForm,
    picked: Patient | None = None,
) -> HttpResponse:
    typed = str(choice["find"].value() or "")
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "periods": periods,
            "patient_form": patient_form,
            "choice": choice,
            "title": "Open a case",
            **_patients_found(request.user, typed, picked),
        },
    )


def _patient_on_file(patient_form: PatientForm) -> Patient | None:
    """The patient on file under the name and birth date typed for a new patient, if any."""
    if not patient_form.is_valid():
        return None
    details = patient_form.cleaned_data
    return patient_on_file(
        first_name=details["first_name"],
        last_name=details["last_name"],
        date_of_birth=details["date_of_birth"],
    )


def _finding_patient(data, choice: PatientChoiceForm) -> bool:
    """Whether the form was sent to find a patient: by its Find button, or by Enter in the
    search box with no patient picked or entered (the form's default button saves)."""
    if "find" in data:
        return True
    entered = any(data.get(f"patient-{name}", "").strip() for name in PATIENT_NAMED_BY)
    return bool(
        choice["find"].value()
        and not data.get(choice["existing_patient"].html_name)
        and not entered
    )


PATIENT_NAMED_BY = ("first_name", "last_name", "date_of_birth")


def _patients_found(user, typed: str, picked: Patient | None) -> dict:
    """The lookup's list: the patient picked, then those found for what was typed."""
    found = patients_found(user, typed) if typed.strip() else []
    listed = ([picked] if picked else []) + [
        p for p in found if picked is None or p.pk != picked.pk
    ]
    return {"patients_found": listed, "patient_picked": picked, "patient_typed": typed.strip()}


@require_GET
def patient_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The open-case form's patient lookup as the user types: the list of patients found
    (an htmx fragment; without JavaScript the form's Find button shows the same list)."""
    if not has_capability(request.user, Capability.OPEN_CASE):
        raise PermissionDenied("Only case managers and administrators look patients up.")
    choice = PatientChoiceForm(
        request.GET, patients=patients_to_pick(request.user), prefix="choice"
    )
    valid = choice.is_valid()
    typed = choice.cleaned_data.get("find", "") if valid else ""
    picked = choice.cleaned_data.get("existing_patient") if valid else None
    return render(
        request,
        "cases/partials/patient_results.html",
        {"choice": choice, **_patients_found(request.user, typed, picked)},
    )


def _refused(error: ValidationError, *, form: CaseForm, periods) -> None:
    """Show the services' refusal next to what it concerns: a party under its field, the
    rest (the periods of disability) above the periods."""
    if not hasattr(error, "error_dict"):
        periods.non_form_errors().extend(error.messages)
        return
    for field, problems in error.message_dict.items():
        if field in ("employer", "insurer", "adjuster"):
            for problem in problems:
                form.add_error(field, problem)
        else:
            periods.non_form_errors().extend(problems)


@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, capability=Capability.MANAGE_CASE)
    form = CaseForm(request.POST or None, instance=case, prefix="case", user=request.user)
    periods = disability_periods_formset(request.POST or None, case=case)
    if request.method == "POST":
        if form.is_valid() and periods.is_valid():
            try:
                with transaction.atomic():
                    added = services.case_parties_add(**form.new_parties())
                    services.case_update(
                        case=case,
                        disability_periods=disability_periods_cleaned(periods),
                        **{**form.case_fields(), **added},
                    )
            except ValidationError as error:
                _refused(error, form=form, periods=periods)
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
