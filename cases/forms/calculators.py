"""The impairment and benefit calculators: one form each, shared by the page and the JSON
endpoints, so both refuse the same inputs with the same messages.

Each form's ``calculate()`` runs the pure rule (cases/domain) once the inputs are valid. When
the rule itself refuses (a jurisdiction without such a rule, a missing reference figure), it
adds the reason to the field at fault and returns None.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from ..domain import impairment
from ..domain.dates import EARLIEST_DAY
from ..domain.jurisdictions import (
    CHOICES,
    DisabilityPeriod,
    Jurisdiction,
    NoImpairmentBenefits,
    StatutoryMMI,
    for_code,
)
from ..selectors.benefits import ImpairmentBenefits, StateWageMissing, estimate_impairment_benefits
from .fields import DateInput

_RANGE = "an impairment is a percentage from 0 to 100"


def _percent(raw: str, what: str, *, whole: bool) -> Decimal:
    """``raw`` as a percentage from 0 to 100 (a whole one when ``whole``), or a ValidationError
    naming ``what`` and the reason."""
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        raise forms.ValidationError(f"{what} “{raw}” is not a number: {_RANGE}.") from None
    if not number.is_finite():
        raise forms.ValidationError(f"{what} “{raw}” is not a number: {_RANGE}.")
    if number < 0:
        raise forms.ValidationError(f"{what} cannot be negative: {_RANGE}.")
    if number > 100:
        raise forms.ValidationError(f"{what} cannot be over 100: {_RANGE}.")
    if whole and number != number.to_integral_value():
        raise forms.ValidationError(f"{what} must be a whole percent, e.g. 12 (got {raw}).")
    return number


class PercentField(forms.CharField):
    """A whole percent from 0 to 100, refused with a message that says what is wrong."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def clean(self, value) -> int:
        value = super().clean(value)
        return int(_percent(value, self.what, whole=True))


class RepeatedInput(forms.TextInput):
    """Reads a repeated parameter (``?value=50&value=30``) as one comma-separated text, so the
    page's single box and the endpoint's repeated parameter mean the same."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return ", ".join(data.getlist(name))
        return data.get(name)


class PercentListField(forms.CharField):
    """Percentages from 0 to 100, separated by commas or given as repeated parameters."""

    widget = RepeatedInput

    def clean(self, value) -> list[Decimal]:
        value = super().clean(value)
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [
            _percent(part, f"Value {position}", whole=False)
            for position, part in enumerate(parts, start=1)
        ]


class JurisdictionField(forms.ChoiceField):
    """A US state code (any case) whose rules the calculators apply."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choose the jurisdiction, e.g. TX.",
                "invalid_choice": "Unknown jurisdiction “%(value)s”: use a two-letter US state "
                "code such as TX, FL or CA.",
            },
        )
        super().__init__(choices=[("", "Choose…"), *CHOICES], **kwargs)

    def to_python(self, value) -> str:
        return super().to_python(value).strip().upper()

    def clean(self, value) -> Jurisdiction:
        return for_code(super().clean(value))


class CalculatorDateField(forms.DateField):
    """A day of a claim: from 1900 to today (the rules count forward from it, so a later
    day means nothing and one near the end of the calendar would run past it)."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter {what} as YYYY-MM-DD, e.g. 2024-03-02.",
                "invalid": f"Enter {what} as YYYY-MM-DD, e.g. 2024-03-02.",
            },
        )
        super().__init__(input_formats=["%Y-%m-%d"], widget=DateInput(), **kwargs)

    def validate(self, value: date | None) -> None:
        super().validate(value)
        if value is None:
            return
        if value < EARLIEST_DAY:
            raise forms.ValidationError(f"Enter {self.what} from {EARLIEST_DAY.year} on.")
        if value > timezone.localdate():
            raise forms.ValidationError(f"Enter {self.what} no later than today.")


class CalculatorForm(forms.Form):
    """A calculator's inputs. ``name`` is its key in URLs and element ids; ``title`` and
    ``intro`` head its panel on the page."""

    name: str
    title: str
    intro: str

    def __init__(self, *args, **kwargs):
        # Several calculators share field names on one page: keep their element ids apart.
        kwargs.setdefault("auto_id", f"id_{self.name}_%s")
        super().__init__(*args, **kwargs)

    def calculate(self) -> object:
        """Once the inputs are valid: the rule's result, or None when the rule refuses them
        (the reason added to the field at fault)."""
        raise NotImplementedError


class CombineForm(CalculatorForm):
    """Combine values at one level by the Combined Values Chart (docs/domain.md §3)."""

    name = "combine"
    title = "Combine impairments"
    intro = (
        "Combined Values Chart: largest first, A + B × (1 − A), rounded to a whole percent "
        "after each step."
    )
    value = PercentListField(
        label="Values (%)",
        help_text="Two or more percentages at the same level, separated by commas, e.g. 50, 30.",
        error_messages={"required": "Enter at least one value to combine, e.g. 50, 30."},
    )

    def calculate(self) -> impairment.Working:
        return impairment.combine(self.cleaned_data["value"])


class ConvertForm(CalculatorForm):
    """Carry a value from its level up to whole person (docs/domain.md §3)."""

    name = "convert"
    title = "Convert to whole person"
    intro = (
        "Digit → hand → upper extremity → whole person, or foot → lower extremity → whole "
        "person, each value rounded."
    )
    LEVELS = [level for level in impairment.Level if level is not impairment.Level.WHOLE_PERSON]
    level = forms.ChoiceField(
        choices=[("", "Choose…"), *((level.value, level.label.capitalize()) for level in LEVELS)],
        error_messages={
            "required": "Choose the level the value is at, e.g. index finger.",
            "invalid_choice": "Unknown level “%(value)s”: use one of "
            + ", ".join(level.value for level in LEVELS)
            + ".",
        },
    )
    value = PercentField(
        what="The value",
        label="Value (%)",
        error_messages={"required": "Enter the value, e.g. 75."},
    )

    def calculate(self) -> impairment.Conversion:
        return impairment.convert(self.cleaned_data["level"], self.cleaned_data["value"])


class StatutoryMMIForm(CalculatorForm):
    """The date the law deems MMI reached, where it has such a date (docs/domain.md §1), for
    a worker off work without a break since disability began; a case with several periods
    off work or an extension order shows its own date on the case page."""

    name = "statutory-mmi"
    title = "Statutory MMI date"
    intro = (
        "Where the law deems MMI reached on a date, e.g. Texas: the day after the 104th week "
        "from the 8th day of disability, for a worker off work without a break."
    )
    jurisdiction = JurisdictionField()
    disability_began = CalculatorDateField(
        what="the date disability began", label="Disability began"
    )

    def calculate(self) -> StatutoryMMI | None:
        jurisdiction: Jurisdiction = self.cleaned_data["jurisdiction"]
        result = jurisdiction.statutory_mmi(
            [DisabilityPeriod(self.cleaned_data["disability_began"])]
        )
        if result is None:
            self.add_error(
                "jurisdiction",
                f"{jurisdiction.name} has no statutory MMI date in MMI Tracker: MMI there is "
                "clinical only.",
            )
        return result


class ImpairmentBenefitsForm(CalculatorForm):
    """What a whole person rating is worth, as an estimate (docs/domain.md §4)."""

    name = "impairment-benefits"
    title = "Impairment benefits"
    intro = "What a whole person rating is worth under the jurisdiction's rules: an estimate."
    jurisdiction = JurisdictionField()
    rating = PercentField(
        what="The rating",
        label="Whole person rating (%)",
        error_messages={"required": "Enter the whole person rating, e.g. 12."},
    )
    average_weekly_wage = forms.DecimalField(
        label="Average weekly wage ($)",
        min_value=0,
        max_digits=9,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the worker's average weekly wage in dollars, e.g. 1000.",
            "invalid": "Enter the average weekly wage in dollars, e.g. 1000 or 912.50.",
            "min_value": "The average weekly wage cannot be negative.",
            "max_digits": "The average weekly wage is too large: check it.",
            "max_whole_digits": "The average weekly wage is too large: check it.",
            "max_decimal_places": "Give the average weekly wage to the cent at most, e.g. 912.50.",
        },
    )
    date_of_injury = CalculatorDateField(
        what="the date of injury",
        label="Date of injury",
        help_text="Sets the figures in force, such as the state average weekly wage of the "
        "Texas fiscal year or the Florida calendar year of injury.",
    )

    def calculate(self) -> ImpairmentBenefits | None:
        data = self.cleaned_data
        try:
            return estimate_impairment_benefits(
                jurisdiction=data["jurisdiction"],
                rating=data["rating"],
                average_weekly_wage=data["average_weekly_wage"],
                date_of_injury=data["date_of_injury"],
            )
        except NoImpairmentBenefits as error:
            self.add_error("jurisdiction", str(error))
        except StateWageMissing as error:
            self.add_error("date_of_injury", str(error))
        return None


CALCULATORS: dict[str, type[CalculatorForm]] = {
    form.name: form for form in (CombineForm, ConvertForm, StatutoryMMIForm, ImpairmentBenefitsForm)
}


def first_error(form: forms.Form) -> tuple[str, str]:
    """(parameter, message) of the first error, in the order of the form's fields."""
    for name in form.fields:
        if name in form.errors:
            return name, str(form.errors[name][0])
    name, messages = next(iter(form.errors.items()))
    return name, str(messages[0])
