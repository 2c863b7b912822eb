"""Add and edit the records a case collects: treatments, diagnostics, consultations,
assessments with scores, and work status with restrictions."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from .. import services
from ..access import Capability, get_case_for
from ..forms.clinical import (
    AssessmentForm,
    ConsultationForm,
    DiagnosticForm,
    TreatmentForm,
    WorkRestrictionFormSet,
    WorkStatusForm,
)
from ..models import Assessment, Consultation, Diagnostic, Treatment, User, WorkStatus
from .requests import AuthenticatedHttpRequest, next_url

_Record = TypeVar("_Record", bound=models.Model)


@dataclass(frozen=True)
class RecordKind(Generic[_Record]):
    model: type[_Record]
    form: type[forms.ModelForm]
    title: str
    save: Callable[[_Record], object]


RECORD_KINDS: dict[str, RecordKind[Any]] = {
    "treatments": RecordKind[Treatment](
        Treatment,
        TreatmentForm,
        "treatment",
        lambda record: services.treatment_save(treatment=record),
    ),
    "diagnostics": RecordKind[Diagnostic](
        Diagnostic,
        DiagnosticForm,
        "diagnostic test",
        lambda record: services.record_save(record=record),
    ),
    "consultations": RecordKind[Consultation](
        Consultation,
        ConsultationForm,
        "consultation",
        lambda record: services.record_save(record=record),
    ),
}


@require_http_methods(["GET", "POST"])
def record_form(
    request: AuthenticatedHttpRequest, case_id: int, kind: str, record_id: int | None = None
) -> HttpResponse:
    record_kind = RECORD_KINDS.get(kind)
    if record_kind is None:
        raise Http404("No such record type.")
    case = get_case_for(request.user, case_id, capability=Capability.RECORD_CLINICAL)
    instance = (
        get_object_or_404(getattr(case, kind), pk=record_id)
        if record_id is not None
        else record_kind.model(case=case)
    )
    form = record_kind.form(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            record_kind.save(form.save(commit=False))
            messages.success(request, f"The {record_kind.title} was saved.")
            return redirect(next_url(request) or f"{case.get_absolute_url()}#{kind}")
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    verb = "Edit" if record_id else "Add"
    return render(
        request,
        "cases/record_form.html",
        {
            "form": form,
            "case": case,
            "title": f"{verb} {record_kind.title}",
            "anchor": kind,
            "next": next_url(request),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_form(
    request: AuthenticatedHttpRequest, case_id: int, assessment_id: int | None = None
) -> HttpResponse:
    case = get_case_for(request.user, case_id, capability=Capability.RECORD_CLINICAL)
    instance = (
        get_object_or_404(case.assessments, pk=assessment_id)
        if assessment_id is not None
        else Assessment(case=case, clinician=request.user)
    )
    form = AssessmentForm(
        request.POST or None,
        instance=instance,
        instruments=case.tracked_instruments.all(),
        # The care team, and whoever assessed even if they have left it since.
        clinicians=User.objects.filter(
            Q(pk__in=case.care_team.values("pk")) | Q(pk=instance.clinician_id)
        ),
    )
    if request.method == "POST":
        if form.is_valid():
            services.assessment_save(assessment=form.save(commit=False), scores=form.scores)
            messages.success(request, "The assessment was saved.")
            return redirect(f"{case.get_absolute_url()}#assessments")
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    return render(
        request,
        "cases/assessment_form.html",
        {
            "form": form,
            "case": case,
            "title": "Correct assessment" if assessment_id else "Record an assessment",
        },
    )


@require_http_methods(["GET", "POST"])
def work_status_form(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = get_case_for(request.user, case_id, capability=Capability.RECORD_CLINICAL)
    instance = WorkStatus(case=case, issued_by=request.user)
    restrictions = WorkRestrictionFormSet(
        request.POST or None, instance=instance, prefix="restrictions"
    )
    form = WorkStatusForm(request.POST or None, instance=instance, restrictions=restrictions)
    if request.method == "POST":
        # Both checked, so every mistake is marked at once.
        valid = [form.is_valid(), restrictions.is_valid()]
        if all(valid):
            try:
                services.work_status_save(
                    work_status=form.save(commit=False),
                    restrictions=[f.save(commit=False) for f in restrictions.filled_forms()],
                )
            except ValidationError as error:
                _show_refusal(form, error)
            else:
                messages.success(request, "The work status was saved.")
                return redirect(f"{case.get_absolute_url()}#work-status")
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    return render(
        request,
        "cases/work_status_form.html",
        {"form": form, "restrictions": restrictions, "case": case, "title": "New work status"},
    )


def _show_refusal(form: forms.ModelForm, error: ValidationError) -> None:
    """A service's refusal on the form: against the field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)
