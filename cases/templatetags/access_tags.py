"""Templates ask cases/access.py what a user may do, rather than compare role names."""

from django import template

from ..access import Capability, has_capability

register = template.Library()


@register.filter
def may(user, capability: str) -> bool:
    """{% if user|may:"export_reports" %}: whether the user's role grants the capability."""
    return has_capability(user, Capability(capability))
