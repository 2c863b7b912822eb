from django import forms

from ..access import chooses_case_manager
from ..domain.jurisdictions import CHOICES, UnknownJurisdiction, for_code
from ..models import Case, Instrument, Organisation, Patient, Role, User
from .fields import (
    DateInput,
    ICD10Field,
    KeysChoiceField,
    choice_field,
    model_choice_field,
    not_in_future,
)


class PatientForm(forms.ModelForm):
    """A new patient's details; services.patient_create puts them on file."""

    class Meta:
        model = Patient
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "phone",
            "email",
            "address",
            "ssn_last4",
        ]
        widgets = {"date_of_birth": DateInput(), "address": forms.Textarea(attrs={"rows": 2})}

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        not_in_future(value, "The date of birth")
        return value


# Names beside abbreviations and adjusters beside their insurer: nobody has to know that
# "RMDQ" is the Roland-Morris questionnaire, or which Tom works for whom.
class InstrumentsChoiceField(KeysChoiceField):
    def label_from_instance(self, obj: Instrument) -> str:
        return f"{obj.abbreviation} — {obj.name}"


class AdjusterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.organisation})"


class CaseForm(forms.ModelForm):
    """Claim data, parties and care team. The patient is picked or created alongside."""

    diagnosis_codes = ICD10Field(label="ICD-10 codes", required=False)
    jurisdiction = forms.ChoiceField(choices=())

    class Meta:
        model = Case
        fields = [
            "claim_number",
            "state_claim_number",
            "jurisdiction",
            "date_of_injury",
            "spinal_extension_ordered_on",
            "spinal_extension_date",
            "body_part",
            "body_side",
            "diagnosis_codes",
            "injury_description",
            "employer",
            "insurer",
            "case_manager",
            "adjuster",
            "care_team",
            "tracked_instruments",
            "average_weekly_wage",
            "next_review_date",
        ]
        field_classes = {
            "care_team": KeysChoiceField,
            "tracked_instruments": InstrumentsChoiceField,
            "adjuster": AdjusterChoiceField,
        }
        widgets = {
            "date_of_injury": DateInput(),
            "spinal_extension_ordered_on": DateInput(),
            "spinal_extension_date": DateInput(),
            "next_review_date": DateInput(),
            "injury_description": forms.Textarea(attrs={"rows": 3}),
            "care_team": forms.CheckboxSelectMultiple(),
            "tracked_instruments": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if not chooses_case_manager(user, opening=self.instance.pk is None):
            del self.fields["case_manager"]
        else:
            model_choice_field(self, "case_manager").queryset = User.objects.filter(
                role=Role.CASE_MANAGER, is_active=True
            )
            if self.instance.pk is not None:
                self.fields["case_manager"].help_text = (
                    "Hand the case over to another case manager; the change is kept in the "
                    "case's history."
                )
        choice_field(self, "jurisdiction").choices = [("", "---------"), *CHOICES]
        model_choice_field(self, "employer").queryset = Organisation.objects.filter(
            kind=Organisation.Kind.EMPLOYER
        )
        model_choice_field(self, "insurer").queryset = Organisation.objects.filter(
            kind=Organisation.Kind.INSURER
        )
        model_choice_field(self, "adjuster").queryset = User.objects.filter(
            role=Role.ADJUSTER, is_active=True
        ).select_related("organisation")
        model_choice_field(self, "care_team").queryset = User.objects.filter(
            role=Role.CLINICIAN, is_active=True
        )
        model_choice_field(self, "tracked_instruments").queryset = Instrument.objects.all()
        self.fields[
            "tracked_instruments"
        ].help_text = "Outcome measures recorded at each assessment; the plateau check reads them."

    def clean_jurisdiction(self):
        code = self.cleaned_data["jurisdiction"]
        try:
            return for_code(code).code
        except UnknownJurisdiction as error:
            raise forms.ValidationError(str(error)) from None

    def clean_date_of_injury(self):
        value = self.cleaned_data["date_of_injury"]
        not_in_future(value, "The date of injury")
        return value

    def clean(self):
        cleaned = super().clean()
        ordered, extended = (
            cleaned.get("spinal_extension_ordered_on"),
            cleaned.get("spinal_extension_date"),
        )
        if bool(ordered) != bool(extended):
            self.add_error(
                "spinal_extension_date" if ordered else "spinal_extension_ordered_on",
                "Give both the date of the Division's order and the date it extends "
                "statutory MMI to, or neither.",
            )
        elif ordered and extended and extended < ordered:
            self.add_error(
                "spinal_extension_date", "The extended date cannot come before the order."
            )
        adjuster, insurer = cleaned.get("adjuster"), cleaned.get("insurer")
        if adjuster and insurer and adjuster.organisation_id != insurer.pk:
            self.add_error("adjuster", f"{adjuster} does not work for {insurer}.")
        return cleaned


class PatientChoiceForm(forms.Form):
    """Open a case for a patient already on file, or enter a new one."""

    existing_patient = forms.ModelChoiceField(
        queryset=Patient.objects.none(),
        required=False,
        label="Patient already on file",
        help_text="Leave empty to enter a new patient below.",
    )

    def __init__(self, *args, patients=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["existing_patient"].queryset = (
            patients if patients is not None else Patient.objects.none()
        )


class DisabilityPeriodForm(forms.Form):
    """One period off work; the services check the periods together."""

    began = forms.DateField(label="Off work from", widget=DateInput())
    ended = forms.DateField(label="Through", required=False, widget=DateInput())


class DisabilityPeriodBaseFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"


DisabilityPeriodFormSet = forms.formset_factory(
    DisabilityPeriodForm,
    formset=DisabilityPeriodBaseFormSet,
    extra=2,
    max_num=20,
    validate_max=True,
    can_delete=True,
)


def disability_periods_formset(data=None, *, case=None):
    """The periods formset of the case form, filled with the case's periods."""
    initial = (
        [{"began": p.began, "ended": p.ended} for p in case.disability_periods.all()]
        if case is not None
        else []
    )
    return DisabilityPeriodFormSet(data, initial=initial, prefix="periods")


def disability_periods_cleaned(formset) -> list[tuple]:
    """(began, ended) of the filled rows of a valid periods formset."""
    return [
        (form.cleaned_data["began"], form.cleaned_data.get("ended"))
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
