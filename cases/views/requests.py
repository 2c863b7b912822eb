"""The type of a request to a view behind login (LoginRequiredMiddleware): its user is a User."""

from django.http import HttpRequest

from ..models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
