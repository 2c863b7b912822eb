from django import template

from cases.models import User

from ..selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user: User) -> int:
    """The navigation bar's count: one COUNT, asked only where the bar is drawn for a user
    who is signed in."""
    if not user.is_authenticated:
        return 0
    return unread_count(user)
