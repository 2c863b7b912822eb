"""The address a request came from, as the login lockout (django-axes) and the access log
record it."""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies (a load balancer: 1), each
    of which appends the address it was reached from to X-Forwarded-For, the client is that
    many entries from the end: anything before was written by the client and proves nothing.
    Without trusted proxies, or when the header is shorter than the chain, the address of
    the connection."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies == 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    try:
        return str(ip_address(forwarded[-proxies]))
    except ValueError:
        return remote
