"""Diagnosis codes with their descriptions (cases/selectors/diagnoses.py), for every page and
report that shows them: {% load diagnoses %} then {{ case.diagnosis_code_list|diagnoses }}."""

from collections.abc import Iterable

from django import template

from ..selectors.diagnoses import ShownDiagnosis, shown_diagnoses

register = template.Library()


@register.filter
def diagnoses(codes: Iterable[str] | str | None) -> list[ShownDiagnosis]:
    """Saved codes, as a list or as the comma-separated column, each with its description and
    whether it may be reported."""
    if not codes:
        return []
    if isinstance(codes, str):
        codes = codes.split(",")
    return shown_diagnoses(codes)
