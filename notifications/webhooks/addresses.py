"""Which URLs a webhook may call: https, on the public internet. Checked when the URL is
saved and again just before each call, on the addresses the name resolves to then (a name
that resolved to a public address when saved may resolve to a private one later: DNS
rebinding); the call then goes to the address checked, never to a fresh lookup.

``settings.WEBHOOK_ALLOWED_LOCAL_HOSTS`` names hosts that may be called on a loopback address
and over plain http: a receiver on this machine, in tests or development. It is empty by
default, and should stay so in production.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


class UnsafeWebhookUrl(ValueError):
    """A URL a webhook may not call; the message says why, for the administrator."""


@dataclass(frozen=True)
class Target:
    """Where a call goes: the URL's parts and the checked address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def _local_allowed(host: str) -> bool:
    return host.lower() in {name.lower() for name in settings.WEBHOOK_ALLOWED_LOCAL_HOSTS}


def _parts(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeWebhookUrl(f"This is not a URL a webhook can call ({error}).") from None
    host = parts.hostname or ""
    if not host:
        raise UnsafeWebhookUrl("The URL names no host.")
    if parts.username or parts.password:
        raise UnsafeWebhookUrl("The URL may not carry a user name or password.")
    if parts.scheme != "https" and not (parts.scheme == "http" and _local_allowed(host)):
        raise UnsafeWebhookUrl(
            "A webhook URL must begin with https://: the calls carry claim numbers, which "
            "travel encrypted only."
        )
    default = 443 if parts.scheme == "https" else 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port or default, path


def address_refusal(host: str, address: str) -> str:
    """Why this resolved address may not be called ("" if it may)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback and _local_allowed(host):
        return ""
    if ip.is_global and not ip.is_multicast:
        return ""
    if ip.is_loopback or ip.is_unspecified:
        kind = "a loopback address (this machine)"
    elif ip.is_link_local:
        kind = "a link-local address"
    elif ip.is_private:
        kind = "a private address"
    else:
        kind = "an address not on the public internet"
    return (
        f"{host} resolves to {ip}, {kind}: a webhook may call only addresses on the public "
        "internet."
    )


def resolve(url: str) -> Target:
    """The URL's parts and an address it resolves to now, every one of which must be
    public; UnsafeWebhookUrl otherwise."""
    scheme, host, port, path = _parts(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeWebhookUrl(f"{host} could not be found (no DNS record).") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    for address in addresses:
        refusal = address_refusal(host, address)
        if refusal:
            raise UnsafeWebhookUrl(refusal)
    return Target(scheme, host, port, path, addresses[0])


def validate_webhook_url(url: str) -> None:
    """The model field's validator: the checks of ``resolve``, as a form error."""
    try:
        resolve(url)
    except UnsafeWebhookUrl as refused:
        raise ValidationError(str(refused), code="unsafe_webhook_url") from None
