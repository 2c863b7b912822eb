"""A date in words as the whole app writes it, "4 Mar 2024": the same as the pages'
DATE_FORMAT (mmi_tracker/formats/en/formats.py), for the pure rules that cannot ask Django
and must not depend on the process locale."""

from datetime import date

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
