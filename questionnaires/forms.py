"""The clinician's item-by-item entry of a questionnaire (docs/domain.md §12): one choice
per item, the score computed from them, never typed."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from cases.forms.fields import DateInput
from cases.models import User

from .domain.scoring import Result, score
from .models import InstrumentDefinition, Item


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


class ResponseEntryForm(forms.Form):
    date = forms.DateField(widget=DateInput(), help_text="The day the patient answered.")
    clinician = forms.ModelChoiceField(
        queryset=User.objects.none(),
        empty_label=None,
        help_text="The clinician on the care team the assessment is recorded for.",
    )

    def __init__(
        self,
        *args: Any,
        definition: InstrumentDefinition,
        clinicians: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.items: list[Item] = list(definition.items.all())
        clinician_field = self.fields["clinician"]
        assert isinstance(clinician_field, forms.ModelChoiceField)
        clinician_field.queryset = clinicians
        self.initial.setdefault("date", timezone.localdate())
        for item in self.items:
            if item.patient_named:
                self.fields[self.named_name(item)] = forms.CharField(
                    label=f"{item.text_en}: what the patient named",
                    required=False,
                    max_length=200,
                )
            self.fields[self.item_name(item)] = forms.ChoiceField(
                label=f"{item.position}. {item.text_en}",
                choices=[
                    (_plain(choice.value), f"{_plain(choice.value)} – {choice.label_en}")
                    if not choice.label_en.startswith(_plain(choice.value))
                    else (_plain(choice.value), choice.label_en)
                    for choice in item.choices.all()
                ],
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    @staticmethod
    def item_name(item: Item) -> str:
        return f"item_{item.key}"

    @staticmethod
    def named_name(item: Item) -> str:
        return f"named_{item.key}"

    def item_rows(self) -> list[dict[str, Any]]:
        """Each item with its field and, for the items the patient names, its name field."""
        return [
            {
                "item": item,
                "field": self[self.item_name(item)],
                "named": self[self.named_name(item)] if item.patient_named else None,
            }
            for item in self.items
        ]

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for item in self.items:
            if (
                item.patient_named
                and cleaned.get(self.item_name(item))
                and not (cleaned.get(self.named_name(item)) or "").strip()
            ):
                self.add_error(self.named_name(item), "Name what the patient rated.")
        return cleaned

    @property
    def answers(self) -> dict[str, Decimal]:
        """The items answered (valid choices only), by key."""
        return {
            item.key: Decimal(value)
            for item in self.items
            if (value := self.cleaned_data.get(self.item_name(item)))
        }

    @property
    def named(self) -> dict[str, str]:
        return {
            item.key: self.cleaned_data.get(self.named_name(item), "")
            for item in self.items
            if item.patient_named
        }

    def result(self) -> Result:
        """The score the answers make, with the items missing (after is_valid)."""
        return score(self.definition.spec, self.answers)
