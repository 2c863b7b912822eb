"""A person picked by name: the case list's case manager and clinician filters.

The page writes a search box, not a list of everyone one may pick (at a few thousand people
the list cost more than the rest of the page). static/js/person-picker.js suggests names as
one types and keeps the key of the person picked; without JavaScript the name typed is sent,
and the list shows the cases of everyone so named.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..models import User
from ..selectors.people import people_named
from .fields import is_key

# The search box's name is the field's with this after it; the field's own name carries the key.
TYPED = "_name"
# A name longer than anyone's is no name anyone typed.
TYPED_AT_MOST = 100
# A name typed may stand for this many people at most: past it, one types more of it.
NAMED_AT_MOST = 50


class PersonSearchWidget(forms.Widget):
    """The name box and the hidden key. A link may give the key alone; the form sends both,
    and a name typed that is not the picked person's wins (the key was left behind)."""

    def __init__(self, search_url: str = "", attrs=None) -> None:
        super().__init__(attrs)
        self.search_url = search_url

    def value_from_datadict(self, data, files, name) -> tuple[str, str | None]:
        return data.get(name, ""), data.get(name + TYPED)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and name + TYPED not in data

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        key, shown = value if isinstance(value, tuple) else ("", "")
        attrs = self.build_attrs(self.attrs, attrs)
        box_id = attrs.pop("id", f"id_{name}")
        return format_html(
            '<input type="search" name="{}" value="{}" id="{}" class="form-control" '
            'autocomplete="off" spellcheck="false" placeholder="Anyone" maxlength="{}" '
            'data-person-picker data-search-url="{}" data-key-input="{}_key"{}>'
            '<input type="hidden" name="{}" value="{}" id="{}_key">',
            name + TYPED,
            shown or "",
            box_id,
            TYPED_AT_MOST,
            self.search_url,
            box_id,
            format_html(' aria-describedby="{}"', attrs["aria-describedby"])
            if "aria-describedby" in attrs
            else "",
            name,
            key,
            box_id,
        )


class PersonSearchField(forms.Field):
    """The keys of the people the cases are filtered by, of ``queryset`` (those one may
    pick): the one whose key was picked, or everyone named as typed; None for anyone. A key
    not among them, a name nobody among them has, or one too many have, is refused with a
    message next to the box. Keys, not a query of people, go into the cases' query: the
    database then plans from the few people's cases, not from every case."""

    widget = PersonSearchWidget

    def __init__(self, *, queryset: QuerySet[User], role: str, search_url: str, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(widget=PersonSearchWidget(search_url), **kwargs)
        self.queryset = queryset
        self.role = role

    def clean(self, value) -> list[int] | None:
        key, typed = value if isinstance(value, tuple) else ("", None)
        typed = None if typed is None else typed.strip()[:TYPED_AT_MOST]
        self.shown = ("", typed or "")
        person = self._person(key) if key else None
        if typed is None and key and person is None:
            raise ValidationError(f"That {self.role} is not on the cases you see.")
        if person is not None and typed in (None, str(person)):
            self.shown = (key, str(person))
            return [person.pk]
        if not typed:
            return None
        named = list(
            people_named(self.queryset, typed).values_list("pk", flat=True)[: NAMED_AT_MOST + 1]
        )
        if not named:
            raise ValidationError(f"No {self.role} on the cases you see is named “{typed}”.")
        if len(named) > NAMED_AT_MOST:
            raise ValidationError(
                f"More than {NAMED_AT_MOST} people are named “{typed}”: type more of the "
                f"name, or pick one of the names suggested."
            )
        return named

    def _person(self, key: str) -> User | None:
        if not is_key(key):
            return None
        return self.queryset.filter(pk=key).first()

    def prepare_value(self, value) -> tuple[str, str]:
        """The key and the name the box shows: as worked out when the form was checked, or
        as sent."""
        if hasattr(self, "shown"):
            return self.shown
        key, typed = value if isinstance(value, tuple) else ("", None)
        return key, typed or ""
