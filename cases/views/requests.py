"""The type of a request to a view behind login (LoginRequiredMiddleware): its user is a User.
HtmxMiddleware, installed for every request, adds what htmx says about it."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from ..models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
