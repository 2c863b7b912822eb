"""A case's status as the coloured badge every list shows: {% load statuses %} then
{% case_status case %}. A tag rather than an included template: the board and the case
list draw one per row."""

from django import template
from django.utils.html import format_html

from ..models import Case

register = template.Library()


@register.simple_tag
def case_status(case: Case) -> str:
    return format_html(
        '<span class="badge rounded-pill status-badge status-{}">{}</span>',
        case.status,
        case.get_status_display(),
    )
