"""Impairment items on the outcome step: one row per rated impairment (docs/domain.md §3).

The whole person rating is computed from the rows; once there are rows, the computed rating
is the one saved, whatever was typed in the rating box.
"""

from dataclasses import dataclass
from typing import Any, cast

from django import forms

from ..domain import impairment
from ..models import ImpairmentItem

_PERCENT = "Give the impairment as a whole percent from 0 to 100, e.g. 5."


class ImpairmentItemForm(forms.Form):
    region = forms.CharField(
        max_length=100,
        error_messages={"required": "Name the region, e.g. Lumbar spine or Left hand."},
    )
    level = forms.ChoiceField(
        choices=[("", "Choose…"), *ImpairmentItem.LEVELS],
        error_messages={"required": "Choose the level the value is at."},
    )
    value = forms.IntegerField(
        label="Impairment (%)",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4}),
        error_messages={
            "required": _PERCENT,
            "invalid": _PERCENT,
            "min_value": "An impairment cannot be negative.",
            # Formatted with the limit, hence the doubled percent sign.
            "max_value": "An impairment cannot be over %(limit_value)s %%.",
        },
    )
    method = forms.CharField(
        label="Guides table or figure",
        max_length=200,
        error_messages={"required": "Name the Guides table or figure you used."},
    )
    mode = forms.ChoiceField(
        label="Added or combined",
        choices=ImpairmentItem.Mode.choices,
        initial=ImpairmentItem.Mode.COMBINE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            elif not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-control form-control-sm"


@dataclass(frozen=True)
class ItemRow:
    """One row of the items editor: its form, its place, and what the page says beside it."""

    form: ImpairmentItemForm
    number: int
    removed: bool
    marked: bool
    whole_person: int | None


def _whole_person(level: object, value: object) -> int | None:
    """An item's value carried up to whole person on its own, or None while incomplete."""
    if level in (None, "") or value in (None, ""):
        return None
    try:
        return impairment.convert(str(level), int(str(value))).whole_person
    except (ValueError, impairment.ImpairmentError):
        return None


def _ticked(form: forms.Form) -> bool:
    """True when a posted row's "Remove" box is ticked, read from its cleaned values as the
    formset reads it (``form.errors`` cleans the row first)."""
    if not form.is_bound or forms.formsets.DELETION_FIELD_NAME in form.errors:
        return False
    return bool(form.cleaned_data.get(forms.formsets.DELETION_FIELD_NAME, False))


class BaseImpairmentItemFormSet(forms.BaseFormSet):
    def rows(self) -> list[ItemRow]:
        """The rows as the editor shows them, numbered among the kept ones. A removed row is
        never marked: its errors do not stop the save. The whole person value is the item's
        own, from what was saved or from a valid posted row."""
        rows = []
        number = 0
        for form in self.forms:
            removed = _ticked(form)
            number += 0 if removed else 1
            if not self.is_bound:
                whole_person = _whole_person(form.initial.get("level"), form.initial.get("value"))
            elif not removed and form.is_valid() and form.has_changed():
                whole_person = _whole_person(
                    form.cleaned_data.get("level"), form.cleaned_data.get("value")
                )
            else:
                whole_person = None
            marked = bool(self.is_bound and not removed and form.errors)
            rows.append(ItemRow(form, number, removed, marked, whole_person))
        return rows

    def any_marked(self) -> bool:
        """True when at least one kept row shows an error beside a field."""
        return any(row.marked for row in self.rows())

    def rated(self) -> list[impairment.ImpairmentItem]:
        """The rows kept (filled in, not marked for removal) as the rating rules take them.
        Call once the formset is valid."""
        deleted = self.deleted_forms
        return [
            impairment.ImpairmentItem(
                **{k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            )
            for form in self.forms
            if form.has_changed() and form not in deleted
        ]


# formset_factory makes a subclass of ``formset``; its stub returns plain BaseFormSet.
ImpairmentItemFormSet = cast(
    type[BaseImpairmentItemFormSet],
    forms.formset_factory(
        ImpairmentItemForm,
        formset=BaseImpairmentItemFormSet,
        extra=2,
        can_delete=True,
        max_num=40,
        validate_max=True,
    ),
)

ITEMS_PREFIX = "items"


def impairment_item_formset(data, saved: list[ImpairmentItem]) -> BaseImpairmentItemFormSet:
    """The items formset: bound to ``data``, or showing the ``saved`` items.

    Bound, its rows are what was posted, with no initial values: a saved item posted back
    unchanged is a row like any other, not an untouched blank to leave out."""
    if data is not None:
        return ImpairmentItemFormSet(data, prefix=ITEMS_PREFIX)
    initial = [
        {
            "region": item.region,
            "level": item.level,
            "value": item.value,
            "method": item.method,
            "mode": item.mode,
        }
        for item in saved
    ]
    return ImpairmentItemFormSet(prefix=ITEMS_PREFIX, initial=initial)


MARKED = "Correct the impairment items marked below to see the rating."


def rate(formset: BaseImpairmentItemFormSet) -> tuple[impairment.Working | None, str]:
    """(working, problem): the whole person rating of a formset's rows and how it was reached,
    or why it cannot be computed. (None, "") when there are no rows.

    The problem speaks of marked items only when a row is marked; otherwise it is the
    formset's own error (too many items)."""
    if not formset.is_valid():
        if formset.any_marked():
            return None, MARKED
        problem = " ".join(str(error) for error in formset.non_form_errors())
        return None, problem or "The impairment items are incomplete."
    return rate_items(formset.rated())


def unfinished(formset: BaseImpairmentItemFormSet) -> list[str]:
    """While the items are being edited: what each incomplete row still needs, in words
    ("Item 2: Choose the level the value is at."), for the live rating, which marks no field."""
    if formset.is_valid():
        return []
    problems = [
        f"Item {row.number}: "
        + " ".join(str(error) for errors in row.form.errors.values() for error in errors)
        for row in formset.rows()
        if row.marked
    ]
    return problems or [str(error) for error in formset.non_form_errors()]


def rate_items(items: list[impairment.ImpairmentItem]) -> tuple[impairment.Working | None, str]:
    """(working, problem) of these items, as ``rate``."""
    if not items:
        return None, ""
    try:
        return impairment.rate_whole_person(items), ""
    except impairment.ImpairmentError as error:
        return None, str(error)


class ImpairmentItemsMixin:
    """For the outcome form: the impairment items formset (``self.items``) validated with the
    form, and the whole person rating computed from it (``self.working``).

    A post without the items table (a client that does not edit items) keeps the saved
    items, and the rating still comes from them.
    """

    cleaned_data: dict[str, Any]  # set by the form this is mixed into

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = self.determination.impairment_items.all()
        self.saved_items = [item.as_rated() for item in saved]
        self.items = impairment_item_formset(self.data if self.is_bound else None, list(saved))
        self.items_submitted = f"{ITEMS_PREFIX}-TOTAL_FORMS" in self.data
        self.working = None if self.is_bound else saved.working()
        self.rating_problem = ""
        # What was typed in the rating box when the rating computed from the items replaced
        # it; None when nothing different was typed.
        self.replaced_rating: str | None = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mmi_reached") != "yes":
            return cleaned
        if self.items_submitted:
            self.working, self.rating_problem = rate(self.items)
        else:
            self.working, self.rating_problem = rate_items(self.saved_items)
        if self.rating_problem:
            self.add_error(None, self.rating_problem)
        elif self.working is not None:
            # With items the computed rating is the rating: a different typed one is replaced
            # (and the page says so), never saved and never a reason to refuse the step.
            typed = str(self.data.get("impairment_rating", "")).strip()
            if typed and cleaned.get("impairment_rating") != self.working.result:
                self.replaced_rating = typed
            cleaned["impairment_rating"] = self.working.result
            self.errors.pop("impairment_rating", None)
        return cleaned

    def rated_items(self) -> list[impairment.ImpairmentItem]:
        """The items to save: the rows of the table (or the saved items when the post had no
        table); none when the worker is not at MMI, since there is no rating then."""
        if self.cleaned_data.get("mmi_reached") != "yes":
            return []
        return self.items.rated() if self.items_submitted else self.saved_items
