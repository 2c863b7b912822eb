from django import forms

from .kinds import KINDS


class EmailPreferencesForm(forms.Form):
    """A box per kind: email it or not. A kind whose email is required shows ticked and
    cannot be unticked (a disabled field keeps its initial value, whatever is posted)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, kind in KINDS.items():
            self.fields[key] = forms.BooleanField(
                label=kind.label,
                required=False,
                disabled=kind.email_required,
                help_text="Always sent by email: it may need someone to act at once."
                if kind.email_required
                else "",
            )
