from decimal import Decimal, InvalidOperation
from typing import cast

from django import forms
from django.utils import timezone

from ..domain.outcomes import PAIN_NOW_MEASURE, ScoreOutOfRange, check_in_range
from ..models import Assessment, Consultation, Diagnostic, Treatment, WorkRestriction, WorkStatus
from .fields import DateInput


class TreatmentForm(forms.ModelForm):
    class Meta:
        model = Treatment
        fields = Treatment.RECORDED_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return cleaned


class DiagnosticForm(forms.ModelForm):
    class Meta:
        model = Diagnostic
        fields = Diagnostic.RECORDED_FIELDS
        widgets = {"date": DateInput(), "findings": forms.Textarea(attrs={"rows": 4})}


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = Consultation.RECORDED_FIELDS
        widgets = {"date": DateInput(), "opinion": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "kind": "A designated doctor is appointed by the state agency; in Texas the "
            "opinion has presumptive weight (§408.125).",
        }


class AssessmentForm(forms.ModelForm):
    """An assessment with one score field per measure the case tracks (docs/domain.md §5).

    Pain is asked once: on a case that tracks the NPRS its field is the pain question and
    pain now follows it (services.assessment_save); otherwise "pain now" is asked."""

    class Meta:
        model = Assessment
        fields = Assessment.RECORDED_FIELDS
        widgets = {
            "date": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, instruments=(), clinicians=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clinicians is not None:
            self.fields["clinician"].queryset = clinicians
        # Left out, the clinician stays the one already on the assessment: for a new one,
        # whoever records it.
        self.fields["clinician"].required = False
        self.fields["clinician"].empty_label = None
        self.fields["clinician"].help_text = "The clinician on the care team who assessed."
        if not self.instance.pk and self.initial.get("date") is None:
            self.initial["date"] = timezone.localdate()
        self.instruments = list(instruments)
        self.pain_measure = next(
            (i for i in self.instruments if i.abbreviation == PAIN_NOW_MEASURE), None
        )
        if self.pain_measure is not None:
            del self.fields["pain_score"]
        existing = {}
        if self.instance.pk:
            existing = {s.instrument_id: s for s in self.instance.scores.all()}
        for instrument in self.instruments:
            score = existing.get(instrument.pk)
            name = self.score_field_name(instrument)
            self.fields[name] = forms.CharField(
                label=f"{instrument.abbreviation} ({instrument.name})",
                required=False,
                help_text=f"Range {instrument.range_label}; "
                f"{'higher' if instrument.higher_is_better else 'lower'} is better; "
                f"MCID (smallest change that matters) {instrument.mcid.normalize():f}.",
                initial=score.value.normalize() if score else None,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
            if instrument == self.pain_measure:
                field = self.fields[name]
                field.label = f"Pain now, 0–10 ({instrument.abbreviation})"
                field.help_text = "0 is no pain, 10 the worst pain imaginable."
                if score is None and self.instance.pain_score is not None:
                    # Recorded before the case tracked the NPRS: the same answer.
                    field.initial = self.instance.pain_score
            if instrument.alternative_maximum:
                self.fields[f"{name}_scale"] = forms.ChoiceField(
                    label=f"{instrument.abbreviation} scale",
                    choices=[
                        (str(instrument.maximum), f"0–{instrument.maximum.normalize():f} points"),
                        (
                            str(instrument.alternative_maximum),
                            f"0–{instrument.alternative_maximum.normalize():f} %",
                        ),
                    ],
                    initial=str(score.scale_max) if score else str(instrument.maximum),
                )

    @staticmethod
    def score_field_name(instrument) -> str:
        return f"score_{instrument.pk}"

    def clean_clinician(self):
        return self.cleaned_data["clinician"] or self.instance.clinician

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value < self.instance.case.date_of_injury:
            raise forms.ValidationError("The assessment date cannot be before the injury.")
        return value

    def clean(self):
        cleaned = super().clean()
        self.scores = {}
        for instrument in self.instruments:
            name = self.score_field_name(instrument)
            raw = (cleaned.get(name) or "").strip()
            scale = cleaned.get(f"{name}_scale")
            scale_max = Decimal(scale) if scale else None
            if not raw:
                self.scores[instrument] = (None, None)
                continue
            try:
                value = Decimal(raw)
            except InvalidOperation:
                self.add_error(name, f"{instrument.abbreviation} must be a number.")
                continue
            try:
                check_in_range(instrument.spec, value, scale_max)
            except ScoreOutOfRange as error:
                self.add_error(name, f"{error}.")
                continue
            self.scores[instrument] = (value, scale_max)
        if self.pain_measure is not None:
            # Not asked: the service takes pain now from the NPRS field's answer.
            self.instance.pain_score = None
        return cleaned

    def pain_field(self):
        """The one pain question: the NPRS field on a case that tracks it, else pain now."""
        if self.pain_measure is None:
            return self["pain_score"]
        return self[self.score_field_name(self.pain_measure)]

    def score_fields(self):
        """The measures' fields but the pain question."""
        pain = self.pain_field().name
        return [self[name] for name in self.fields if name.startswith("score_") and name != pain]


class WorkStatusForm(forms.ModelForm):
    """A work status; give it the restrictions formset, whose filled rows the work status
    rules count. The rules themselves are WorkStatus.rule_problems (cases/domain/
    work_status.py), the same words services.work_status_save refuses with."""

    class Meta:
        model = WorkStatus
        fields = WorkStatus.RECORDED_FIELDS
        widgets = {
            "effective_from": DateInput(),
            "expected_through": DateInput(),
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "visited_on": DateInput(),
            "next_visit_on": DateInput(),
        }

    def __init__(self, *args, restrictions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.restrictions = restrictions

    def clean(self):
        cleaned = super().clean()
        if "kind" not in cleaned:
            return cleaned
        problems = WorkStatus.rule_problems(
            kind=cleaned["kind"],
            effective_from=cleaned.get("effective_from"),
            expected_through=cleaned.get("expected_through"),
            explanation=cleaned.get("explanation", ""),
            restriction_count=(
                len(self.restrictions.filled_forms()) if self.restrictions is not None else 0
            ),
        )
        for name, messages in problems.items():
            if name not in self.fields:
                self.add_error(None, messages)
            elif name not in self.errors:  # a refused field keeps its own message
                self.add_error(name, messages)
        return cleaned


class WorkRestrictionForm(forms.ModelForm):
    class Meta:
        model = WorkRestriction
        fields = WorkRestriction.RECORDED_FIELDS
        labels = {"is_permanent": "Permanent"}


class BaseWorkRestrictionFormSet(forms.BaseInlineFormSet):
    def filled_forms(self) -> list[WorkRestrictionForm]:
        """The rows the user filled in; untouched blank rows are not restrictions."""
        return [form for form in self.forms if form.has_changed()]


# inlineformset_factory makes a subclass of ``formset``; its stub returns plain
# BaseInlineFormSet.
WorkRestrictionFormSet = cast(
    type[BaseWorkRestrictionFormSet],
    forms.inlineformset_factory(
        WorkStatus,
        WorkRestriction,
        form=WorkRestrictionForm,
        formset=BaseWorkRestrictionFormSet,
        extra=3,
        can_delete=False,
    ),
)
