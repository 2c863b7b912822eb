"""The bulk export request sent from the case list."""

from django import forms
from django.http import QueryDict

from ..models import ReportExport


class CaseIdsField(forms.Field):
    """The case ids ticked on the case list (repeated `case` fields), as whole numbers."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        try:
            return [int(item) for item in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError("The selection is not a list of cases.") from None


class ExportRequestForm(forms.Form):
    SELECTED = ReportExport.Scope.SELECTED
    FILTER = ReportExport.Scope.FILTER
    FILTER_MAX_LENGTH = 2000

    scope = forms.ChoiceField(choices=ReportExport.Scope.choices)
    case = CaseIdsField(required=False)
    # The case list's query string, as it was when the button was pressed.
    filter = forms.CharField(required=False, max_length=FILTER_MAX_LENGTH)

    def clean_filter(self) -> str:
        """Re-encoded, so that it is only ever a query string for the case list."""
        encoded = QueryDict(self.cleaned_data["filter"]).urlencode()
        if len(encoded) > self.FILTER_MAX_LENGTH:
            raise forms.ValidationError("This filter is too long to export: shorten it.")
        return encoded

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SELECTED and not cleaned.get("case"):
            raise forms.ValidationError(
                "Tick at least one case to export, or export every case in this filter."
            )
        return cleaned
