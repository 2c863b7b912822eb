"""Money in templates written as the estimate's steps write it (cases/domain/jurisdictions)."""

from decimal import Decimal

from django import template

from ..domain.jurisdictions.base import dollars as _dollars

register = template.Library()


@register.filter
def dollars(amount: Decimal | None) -> str:
    """{{ estimate.weekly_rate|dollars }}: $1,234.50, or every decimal of an exact $490.245, so
    a figure the law does not round is not rounded on the page either."""
    if amount is None or amount == "":
        return ""
    return _dollars(amount)
