from django import forms
from django.db.models import QuerySet

from ..access import Capability, chooses_case_manager, has_capability
from ..domain.jurisdictions import CHOICES, UnknownJurisdiction, for_code
from ..models import Case, Instrument, Language, Organisation, Patient, Role, User
from ..services.parties import NewAdjuster, NewOrganisation
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
            "preferred_language",
        ]
        widgets = {"date_of_birth": DateInput(), "address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Left out (a form posted by older pages or scripts), it stays the model's default.
        self.fields["preferred_language"].required = False

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        not_in_future(value, "The date of birth")
        return value

    def clean_preferred_language(self) -> str:
        return self.cleaned_data["preferred_language"] or Language.ENGLISH


# Names beside abbreviations and adjusters beside their insurer: nobody has to know that
# "RMDQ" is the Roland-Morris questionnaire, or which Tom works for whom.
class InstrumentsChoiceField(KeysChoiceField):
    def label_from_instance(self, obj: Instrument) -> str:
        return f"{obj.abbreviation} — {obj.name}"


class AdjusterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.organisation})"


# The fields of an employer, an insurer or an adjuster typed on the case form, put on file
# when the case is saved (services.case_parties_add), for the roles that may add them.
NEW_PARTY_FIELDS = (
    "new_employer_name",
    "new_employer_phone",
    "new_employer_fax",
    "new_insurer_name",
    "new_insurer_phone",
    "new_insurer_fax",
    "new_adjuster_first_name",
    "new_adjuster_last_name",
    "new_adjuster_email",
)
NEW_ADJUSTER_FIELDS = NEW_PARTY_FIELDS[6:]


class CaseForm(forms.ModelForm):
    """Claim data, parties and care team. The patient is picked or created alongside.

    An employer, insurer or adjuster not on file yet may be typed in the form itself, for
    users whose role adds them: it takes the place of the one picked from the list."""

    diagnosis_codes = ICD10Field(label="ICD-10 codes", required=False)
    jurisdiction = forms.ChoiceField(choices=())
    # Labels name the party: "first name" alone belongs to the patient.
    new_employer_name = forms.CharField(label="Employer's name", max_length=200, required=False)
    new_employer_phone = forms.CharField(label="Employer's phone", max_length=40, required=False)
    new_employer_fax = forms.CharField(
        label="Employer's fax or email for reports", max_length=120, required=False
    )
    new_insurer_name = forms.CharField(label="Insurer's name", max_length=200, required=False)
    new_insurer_phone = forms.CharField(label="Insurer's phone", max_length=40, required=False)
    new_insurer_fax = forms.CharField(
        label="Insurer's fax or email for reports", max_length=120, required=False
    )
    new_adjuster_first_name = forms.CharField(
        label="Adjuster's given name", max_length=150, required=False
    )
    new_adjuster_last_name = forms.CharField(
        label="Adjuster's family name", max_length=150, required=False
    )
    new_adjuster_email = forms.EmailField(
        label="Adjuster's email address",
        required=False,
        help_text="They sign in with it once they have chosen a password through "
        "“Forgot your password?” on the sign-in page.",
    )

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
            "representative_name",
            "representative_address",
            "representative_fax",
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
            "representative_address": forms.Textarea(attrs={"rows": 3}),
            "care_team": forms.CheckboxSelectMultiple(),
            "tracked_instruments": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.adds_parties = has_capability(user, Capability.ADD_PARTIES)
        if self.adds_parties:
            # Picked from the list or typed below it: clean() asks for one of them.
            self.fields["employer"].required = False
            self.fields["insurer"].required = False
        else:
            for name in NEW_PARTY_FIELDS:
                del self.fields[name]
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
        if not cleaned.get("representative_name") and (
            cleaned.get("representative_address") or cleaned.get("representative_fax")
        ):
            self.add_error("representative_name", "Name the representative whose address this is.")
        adjuster, insurer = cleaned.get("adjuster"), cleaned.get("insurer")
        new_insurer = cleaned.get("new_insurer_name", "")
        new_adjuster = any(cleaned.get(name) for name in NEW_ADJUSTER_FIELDS)
        if self.adds_parties:
            self._clean_new_parties(new_adjuster=new_adjuster, insurer=insurer)
        if adjuster and not new_adjuster:
            works_for = adjuster.organisation
            if new_insurer and works_for.name.casefold() != new_insurer.strip().casefold():
                self.add_error("adjuster", f"{adjuster} does not work for {new_insurer}.")
            elif not new_insurer and insurer and works_for.pk != insurer.pk:
                self.add_error("adjuster", f"{adjuster} does not work for {insurer}.")
        return cleaned

    def _clean_new_parties(self, *, new_adjuster: bool, insurer: Organisation | None) -> None:
        cleaned = self.cleaned_data
        for party in ("employer", "insurer"):
            if party in self.errors or cleaned.get(party) or cleaned.get(f"new_{party}_name"):
                continue
            self.add_error(party, f"Pick the {party} from the list, or add one not listed.")
        if not new_adjuster:
            return
        for name in NEW_ADJUSTER_FIELDS:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, "A new adjuster needs this too.")
        if not insurer and not cleaned.get("new_insurer_name") and "insurer" not in self.errors:
            self.add_error("new_adjuster_email", "Pick or add the insurer the adjuster works for.")

    def new_parties(self) -> dict:
        """The parties typed on the form, as ``services.case_parties_add`` takes them."""
        cleaned = self.cleaned_data
        parties: dict = {}
        for party in ("employer", "insurer"):
            if name := cleaned.get(f"new_{party}_name"):
                parties[party] = NewOrganisation(
                    name,
                    cleaned.get(f"new_{party}_phone", ""),
                    cleaned.get(f"new_{party}_fax", ""),
                )
        if cleaned.get("new_adjuster_email"):
            parties["adjuster"] = NewAdjuster(
                cleaned["new_adjuster_first_name"],
                cleaned["new_adjuster_last_name"],
                cleaned["new_adjuster_email"],
            )
            parties["adjusters_insurer"] = cleaned.get("insurer")
        return parties

    def case_fields(self) -> dict:
        """The case's own fields as the services take them (the new parties apart)."""
        fields = {k: v for k, v in self.cleaned_data.items() if k not in NEW_PARTY_FIELDS}
        fields["tracked"] = fields.pop("tracked_instruments")
        return fields


class PatientChoiceForm(forms.Form):
    """Open a case for a patient already on file, found by typing, or enter a new one.

    The patients found are listed by the page (cases/selectors/patients.py), never the whole
    ``patients`` queryset, which only checks the one picked."""

    find = forms.CharField(
        required=False,
        max_length=100,
        label="Find a patient on file",
        help_text="Type their name or their birth date (1984-02-03 or 2/3/1984), then pick "
        "them; if they are not on file, enter them below as a new patient.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    existing_patient = forms.ModelChoiceField(
        queryset=Patient.objects.none(), required=False, label="Patient on file"
    )

    def __init__(self, *args, patients: QuerySet[Patient] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "existing_patient").queryset = (
            patients if patients is not None else Patient.objects.none()
        )


def as_typed(form: forms.BaseForm) -> dict:
    """What was typed into a bound form, as the initial values of an unbound one: the page
    shows it again without judging it (finding a patient is not saving the case)."""
    return {name: form[name].data for name in form.fields}


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


def disability_periods_formset(data=None, *, case=None, typed=None):
    """The periods formset of the case form, filled with the case's periods, or unbound with
    the rows typed into ``typed`` (a bound one)."""
    if typed is not None:
        rows = [as_typed(form) for form in typed.forms]
        initial = [row for row in rows if row.get("began") or row.get("ended")]
    elif case is not None:
        initial = [{"began": p.began, "ended": p.ended} for p in case.disability_periods.all()]
    else:
        initial = []
    return DisabilityPeriodFormSet(data, initial=initial, prefix="periods")


def disability_periods_cleaned(formset) -> list[tuple]:
    """(began, ended) of the filled rows of a valid periods formset."""
    return [
        (form.cleaned_data["began"], form.cleaned_data.get("ended"))
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
