"""Impairment items on the outcome step: one row per rated impairment (docs/domain.md §3).

The whole person rating is computed from the rows; once there are rows, a rating typed by
hand is refused unless it is the computed one.
"""

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


class BaseImpairmentItemFormSet(forms.BaseFormSet):
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


def rate(formset: BaseImpairmentItemFormSet) -> tuple[impairment.Working | None, str]:
    """(working, problem): the whole person rating of a formset's rows and how it was reached,
    or why it cannot be computed. (None, "") when there are no rows."""
    if not formset.is_valid():
        return None, "Correct the impairment items marked in the table to see the rating."
    return rate_items(formset.rated())


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
            typed = cleaned.get("impairment_rating")
            if typed is not None and typed != self.working.result:
                # A hand-typed total is not accepted when items exist.
                self.add_error(
                    "impairment_rating",
                    f"With impairment items, the whole person rating is computed from them: "
                    f"{self.working.result} %. Leave this box empty or set to "
                    f"{self.working.result}, or remove the items to rate by hand.",
                )
            cleaned["impairment_rating"] = self.working.result
        return cleaned

    def rated_items(self) -> list[impairment.ImpairmentItem]:
        """The items to save: the rows of the table (or the saved items when the post had no
        table); none when the worker is not at MMI, since there is no rating then."""
        if self.cleaned_data.get("mmi_reached") != "yes":
            return []
        return self.items.rated() if self.items_submitted else self.saved_items
