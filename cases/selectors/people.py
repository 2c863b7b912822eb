"""The people a user may filter the case list by, found by name (the case list's case manager
and clinician boxes, and the suggestions under them)."""

from django.db.models import Q, QuerySet

from ..models import User

SUGGESTIONS = 10


def people_named(people: QuerySet[User], typed: str) -> QuerySet[User]:
    """Those of ``people`` of whom every word typed starts the first name, the last name or
    the username, case apart: "jo" finds Karen Jones; "karen jo" finds her alone."""
    for word in typed.split():
        people = people.filter(
            Q(first_name__istartswith=word)
            | Q(last_name__istartswith=word)
            | Q(username__istartswith=word)
        )
    return people


def suggested_people(people: QuerySet[User], typed: str) -> list[tuple[int, str]]:
    """The first SUGGESTIONS of ``people`` named ``typed``, by last name, as (key, name)."""
    found = people_named(people, typed).order_by("last_name", "first_name", "pk")
    return [
        (pk, User.shown_name(first, last, username))
        for pk, first, last, username in found.values_list(
            "pk", "first_name", "last_name", "username"
        )[:SUGGESTIONS]
    ]
