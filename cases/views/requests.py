"""The type of a request to a view behind login (LoginRequiredMiddleware): its user is a User.
HtmxMiddleware, installed for every request, adds what htmx says about it."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from ..models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def next_url(request: HttpRequest) -> str:
    """The page to go back to (``next``, posted or in the query string) if it is on this
    site, else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def page_number(request: HttpRequest, parameter: str, *, at_most: int) -> int:
    """The page asked for in ``parameter``, from 1 to ``at_most`` (past it, the last one
    allowed); anything else asks for the first."""
    asked = request.GET.get(parameter, "")
    if not asked.isascii() or not asked.isdigit():
        return 1
    return max(1, min(int(asked), at_most))
