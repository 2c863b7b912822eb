"""A user's daily digest settings."""

from django import forms
from django.conf import settings

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class DigestSettingsForm(forms.Form):
    enabled = forms.BooleanField(label="Send me a daily digest email", required=False)
    hour = forms.TypedChoiceField(
        label="Send it at",
        choices=HOURS,
        coerce=int,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hour"].help_text = f"Every day, {settings.TIME_ZONE} time."
