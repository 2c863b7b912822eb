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
