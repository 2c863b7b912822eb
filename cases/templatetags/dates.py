"""The one place dates and times are written for people, in the user's time zone (the active
one, django.utils.timezone): "4 Mar 2024" and "12 Mar 2026, 14:05 CST".

In templates (the library is a builtin, settings.TEMPLATES): {{ case.date_of_injury|day }},
{{ determination.signed_at|moment }}; an empty value gives "", so `|default:"—"` chains. In
Python: `from cases.templatetags.dates import day, moment`. The words themselves are the pure
rules' (cases/domain/dates.py). Machine formats (ISO in the API and FHIR, %Y-%m-%d in file
names, <time datetime>) do not come through here."""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone, translation

from ..domain.dates import day_label, moment_label

register = template.Library()


def _in_english() -> bool:
    """Whether the active language is English, the app's own; a patient's document in another
    language (translation.override) writes its dates as that language does."""
    return (translation.get_language() or "en").split("-")[0] == "en"


@register.filter
def day(value: date | datetime | None) -> str:
    """ "4 Mar 2024" ("4 de marzo de 2024" in a Spanish document). A datetime gives the day it
    is in the user's time zone (a naive one is refused, as by `moment`)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    if not _in_english():
        return formats.date_format(value, "DATE_FORMAT")
    return day_label(value)


@register.filter
def moment(value: datetime | date | None) -> str:
    """ "12 Mar 2026, 14:05 CST": an aware datetime in the user's time zone, with the zone.
    A plain date has no time of day, so it reads as `day`; a naive datetime is refused."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return day(value)
    local = timezone.localtime(value)
    if not _in_english():
        return f"{day(local)}, {local:%H:%M} {local.tzname()}"
    return moment_label(local)
