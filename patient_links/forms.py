"""The forms of the questionnaire links: sending a set, planning links, and the patient's
answer to one question (in the patient's language)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.fields import KeysChoiceField

from . import domain, questions
from .models import QuestionnaireLink


class _InstrumentsField(KeysChoiceField):
    def label_from_instance(self, obj) -> str:
        return questions.label_of(obj)


def _instruments_field() -> _InstrumentsField:
    return _InstrumentsField(
        queryset=questions.instrument_queryset(),
        widget=forms.CheckboxSelectMultiple,
        label="Questionnaires",
        error_messages={"required": "Choose at least one questionnaire."},
    )


class SendForm(forms.Form):
    instruments = _instruments_field()
    channel = forms.ChoiceField(
        label="How the patient gets it",
        choices=[
            (QuestionnaireLink.Channel.EMAIL, "Email it to the patient"),
            (QuestionnaireLink.Channel.SHOWN, "Show a link and QR code to text or print"),
        ],
        widget=forms.RadioSelect,
        initial=QuestionnaireLink.Channel.EMAIL,
    )


class PlanForm(forms.Form):
    instruments = _instruments_field()
    every_weeks = forms.TypedChoiceField(
        label="Every",
        choices=[(1, "week"), (2, "2 weeks"), (3, "3 weeks"), (4, "4 weeks")],
        coerce=int,
        initial=2,
    )
    starts_on = forms.DateField(
        label="First link on", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = timezone.localdate()


class AnswerForm(forms.Form):
    """One question: its choices as large radio buttons. A value not among them is refused
    with a plain message and the page again."""

    answer = forms.TypedChoiceField(
        widget=forms.RadioSelect,
        coerce=Decimal,
        error_messages={
            "required": _("Choose one of the answers, or skip this question."),
            "invalid_choice": _("Choose one of the answers shown."),
        },
    )

    def __init__(self, *args, question: questions.Question, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        answer = self.fields["answer"]
        assert isinstance(answer, forms.TypedChoiceField)
        answer.choices = [(questions.choice_key(value), label) for value, label in question.choices]


class ActivityForm(forms.Form):
    """An activity the patient names (PSFS), typed as plain text. What it may hold is the
    service's rule (services.activity_name_save); the browser stops typing at the limit."""

    name = forms.CharField(
        required=False,
        widget=forms.TextInput(
            attrs={
                "maxlength": domain.ACTIVITY_NAME_MAX,
                "autocomplete": "off",
                "class": "form-control form-control-lg patient-text",
            }
        ),
    )
