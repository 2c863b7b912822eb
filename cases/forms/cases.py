from django import forms

from ..domain.jurisdictions import CHOICES, UnknownJurisdiction, for_code
from ..models import Case, Instrument, Organisation, Patient, Role, User
from .fields import DateInput, ICD10Field, not_in_future


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["first_name", "last_name", "date_of_birth", "phone", "email", "address"]
        widgets = {"date_of_birth": DateInput(), "address": forms.Textarea(attrs={"rows": 2})}

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        not_in_future(value, "The date of birth")
        return value


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
            "disability_began",
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
        widgets = {
            "date_of_injury": DateInput(),
            "disability_began": DateInput(),
            "next_review_date": DateInput(),
            "injury_description": forms.Textarea(attrs={"rows": 3}),
            "care_team": forms.CheckboxSelectMultiple(),
            "tracked_instruments": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.CASE_MANAGER:
            del self.fields["case_manager"]
        else:
            self.fields["case_manager"].queryset = User.objects.filter(
                role=Role.CASE_MANAGER, is_active=True
            )
        self.fields["jurisdiction"].choices = [("", "---------"), *CHOICES]
        self.fields["employer"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.EMPLOYER
        )
        self.fields["insurer"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.INSURER
        )
        self.fields["adjuster"].queryset = User.objects.filter(
            role=Role.ADJUSTER, is_active=True
        ).select_related("organisation")
        self.fields["care_team"].queryset = User.objects.filter(role=Role.CLINICIAN, is_active=True)
        self.fields["tracked_instruments"].queryset = Instrument.objects.all()
        # Names beside abbreviations and adjusters beside their insurer: nobody has to know
        # that "RMDQ" is the Roland-Morris questionnaire, or which Tom works for whom.
        self.fields["tracked_instruments"].label_from_instance = lambda instrument: (
            f"{instrument.abbreviation} — {instrument.name}"
        )
        self.fields["adjuster"].label_from_instance = lambda adjuster: (
            f"{adjuster} ({adjuster.organisation})"
        )
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
        injury = cleaned.get("date_of_injury")
        began = cleaned.get("disability_began")
        if injury and began and began < injury:
            self.add_error("disability_began", "Disability cannot begin before the date of injury.")
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
