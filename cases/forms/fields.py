"""Form fields shared by the case forms."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ..domain.icd10 import split_icd10_list
from ..selectors.diagnoses import check_codes, prepare_search, shown_diagnoses

# The largest key a database column holds (a signed 64-bit integer).
LARGEST_KEY = 2**63 - 1


def is_key(text: str) -> bool:
    """Whether ``text`` can be a record's key: a whole number the database holds (a larger
    one would make the database fail rather than find nothing)."""
    return text.isascii() and text.isdigit() and int(text) <= LARGEST_KEY


class KeysChoiceField(forms.ModelMultipleChoiceField):
    """Several records picked by key, refusing a value that cannot be a key (not a whole
    number the database holds) with the field's own message before anything is looked up:
    the database would fail on it rather than find nothing."""

    def _check_values(self, value):
        for key in value:
            if not is_key(str(key)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def not_in_future(value, label: str = "This date") -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{label} cannot be in the future.")


class DiagnosisCodesInput(forms.TextInput):
    """The codes as one text box; static/js/diagnosis-picker.js turns it into a search that
    picks codes from the code set, and without JavaScript the box takes them typed."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "data-diagnosis-picker": "",
                "autocomplete": "off",
                "spellcheck": "false",
                **(attrs or {}),
            }
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # For the script: the search's address, and the codes in the box described (saved,
        # or posted back with an error), so it shows them without asking.
        prepare_search()
        shown = shown_diagnoses(split_icd10_list(value or ""))
        context["widget"]["attrs"]["data-search-url"] = reverse("diagnosis-search")
        context["widget"]["attrs"]["data-diagnoses"] = json.dumps(
            [
                {"code": item.code, "description": item.description, "billable": item.billable}
                for item in shown
            ]
        )
        return context


class ICD10Field(forms.CharField):
    """Comma-separated billable ICD-10-CM codes, normalised; each refused entry is named in
    the message with what to use instead (cases/domain/icd10.py)."""

    widget = DiagnosisCodesInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text",
            "Billable ICD-10-CM codes, primary first: type a code or words and pick from the "
            "matches, or type the codes separated by commas (e.g. M54.50, S33.5XXA).",
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        accepted, refused = check_codes(value or "")
        if refused:
            raise forms.ValidationError(refused)
        return ",".join(accepted)


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field ``name``, made from a foreign key or many-to-many (a ModelChoiceField
    or ModelMultipleChoiceField): ``form.fields`` types every field as a plain Field."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, a ChoiceField: ``form.fields`` types every field as Field."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field
