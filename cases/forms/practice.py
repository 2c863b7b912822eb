"""A clinician's practice details, as the Texas forms print them (DWC069 boxes 11–12, DWC073
boxes 6–8)."""

from django import forms

from ..models import User
from ..services.practice import PRACTICE_FIELDS


class PracticeDetailsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = PRACTICE_FIELDS

    def clean_office_state(self) -> str:
        state = self.cleaned_data["office_state"].strip().upper()
        if state and not (len(state) == 2 and state.isalpha()):
            raise forms.ValidationError("Enter the state's two-letter code, e.g. TX.")
        return state

    def clean_office_zip(self) -> str:
        code = self.cleaned_data["office_zip"].strip()
        digits = code.replace("-", "")
        if code and not (digits.isdigit() and len(digits) in (5, 9)):
            raise forms.ValidationError("Enter a ZIP code of 5 digits, or ZIP+4 (78701-1234).")
        return code
