"""Filters and ordering for the API's lists.

Unknown filter values and orderings are refused with 400 rather than ignored, so a client
never mistakes an unfiltered list for a filtered one.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django_filters.fields import BaseCSVField
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

from cases import filters as cases_filters
from cases.models import (
    Assessment,
    Case,
    Consultation,
    Determination,
    Diagnostic,
    IssuedReport,
    Treatment,
    WorkStatus,
)


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=<field>` or `?ordering=-<field>`, one of the view's `ordering_fields`."""

    def choices(self, view) -> list[str]:
        return [f"{sign}{field}" for field in view.ordering_fields for sign in ("", "-")]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        if raw not in self.choices(view):
            raise ValidationError(
                {self.ordering_param: [f"Order by one of: {', '.join(self.choices(view))}."]}
            )
        # A unique tie-breaker keeps pages stable when many rows share the value.
        return [raw, "-pk" if raw.startswith("-") else "pk"]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by this field; a leading minus sign sorts descending.",
                "schema": {"type": "string", "enum": self.choices(view)},
            }
        ]


YES_NO = {"true", "false"}


class StrictFilterSet(django_filters.FilterSet):
    """Refuses an empty parameter (`?status=`), an empty item in a list (`?sort=,`) and a
    yes/no that is neither true nor false, which django-filter would otherwise take as
    "no filter"."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, field in self.form.fields.items():
            suffixes = getattr(field.widget, "suffixes", None)
            parameters = [f"{name}_{suffix}" for suffix in suffixes] if suffixes else [name]
            for parameter in parameters:
                for value in self.data.getlist(parameter):
                    if value == "":
                        message = f"Give {parameter} a value, or leave it out."
                    elif isinstance(field, BaseCSVField) and "" in value.split(","):
                        message = f"{parameter} lists values separated by single commas."
                    elif isinstance(field, forms.NullBooleanField) and value not in YES_NO:
                        message = f"{parameter} is true or false."
                    else:
                        continue
                    self.form.add_error(name, message)
                    valid = False
        return valid


# The largest id a bigint column holds: a larger one would make the database raise.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number the database can hold (not any decimal)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class CaseFilter(StrictFilterSet, cases_filters.CaseFilter):
    """The case list page's own filters, search and sort (cases/filters.py), with the
    organisations and people named by id (the page picks people by name)."""

    insurer = IdFilter(field_name="insurer_id", label="The insurer's id.")
    employer = IdFilter(field_name="employer_id", label="The employer's id.")
    case_manager = IdFilter(field_name="case_manager_id", label="The case manager's id.")
    clinician = IdFilter(
        method="treated_by_id", label="The id of a clinician on the case's care team."
    )

    def treated_by_id(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        return self.treated_by(queryset, name, [value])


class TreatmentFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Treatment.Kind.choices)
    ongoing = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull")
    started = django_filters.DateFromToRangeFilter(field_name="start_date")

    class Meta:
        model = Treatment
        fields = ["kind", "authorised"]


class AssessmentFilter(StrictFilterSet):
    date = django_filters.DateFromToRangeFilter()
    clinician = IdFilter(field_name="clinician_id", label="The examining clinician's id.")

    class Meta:
        model = Assessment
        fields: list[str] = []


class DiagnosticFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Diagnostic.Kind.choices)
    stability = django_filters.ChoiceFilter(choices=Diagnostic.Stability.choices)
    date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Diagnostic
        fields = ["is_objective_finding"]


class ConsultationFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Consultation.Kind.choices)
    mmi_opinion = django_filters.ChoiceFilter(choices=Consultation.MMIOpinion.choices)
    date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Consultation
        fields: list[str] = []


class WorkStatusFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=WorkStatus.Kind.choices)
    effective = django_filters.DateFromToRangeFilter(field_name="effective_from")

    class Meta:
        model = WorkStatus
        fields: list[str] = []


class DeterminationFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=Determination.Status.choices)
    mmi_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Determination
        fields = ["mmi_reached"]


class IssuedReportFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=IssuedReport.Kind.choices)
    determination = IdFilter(field_name="determination_id", label="The determination's id.")

    class Meta:
        model = IssuedReport
        fields: list[str] = []
