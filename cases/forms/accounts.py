"""Signing in."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from ..models import User

USERNAME_LENGTH = User._meta.get_field("username").max_length


class LoginForm(AuthenticationForm):
    """Django's login form, refusing a username longer than any account's before it is
    tried: nothing that long is looked up or recorded as a failed attempt."""

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if USERNAME_LENGTH is not None and len(username) > USERNAME_LENGTH:
            raise forms.ValidationError(
                f"No username is longer than {USERNAME_LENGTH} characters: check what you typed."
            )
        return username


class SecondFactorCodeForm(forms.Form):
    """A code from the user's authenticator app, or one of their recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code."},
    )


class AuthenticatorConfirmForm(forms.Form):
    """The first code a newly added authenticator app shows."""

    code = forms.CharField(
        label="Code from the app",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "Enter the 6 digits the app shows."},
    )
