"""Form fields shared by the case forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..domain.icd10 import invalid_icd10_message, parse_icd10_list

# The largest key a database column holds (a signed 64-bit integer).
LARGEST_KEY = 2**63 - 1


class KeysChoiceField(forms.ModelMultipleChoiceField):
    """Several records picked by key, refusing a value that cannot be a key (not a whole
    number the database holds) with the field's own message before anything is looked up:
    the database would fail on it rather than find nothing."""

    def _check_values(self, value):
        for key in value:
            text = str(key)
            if not (text.isascii() and text.isdigit() and int(text) <= LARGEST_KEY):
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


class ICD10Field(forms.CharField):
    """Comma-separated ICD-10-CM codes, normalised; each bad entry is named in the message."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text",
            "ICD-10-CM codes separated by commas, primary first, e.g. M54.50, S33.5XXA.",
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        valid, invalid = parse_icd10_list(value or "")
        if invalid:
            raise forms.ValidationError([invalid_icd10_message(entry) for entry in invalid])
        return ",".join(valid)


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
