"""The case list's filters, search and sort (django-filter), shared by the page and its CSV."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse_lazy

from .access import (
    case_managers_to_filter_by,
    cases_visible_to,
    clinicians_to_filter_by,
    insurers_to_filter_by,
)
from .domain.jurisdictions import CHOICES as JURISDICTIONS
from .domain.search import birth_date_typed, search_terms
from .forms.person_search import PersonSearchField
from .models import Case, CaseSearchTerm, CaseStatus, Organisation, User
from .models.cases import BodyPart, CaseQuerySet

# A searched case's opening time, as filed with the term searched for (CaseFilter.search).
FOUND_OPENED = "found_opened_at"


def labelled_date_range(start: str, end: str) -> django_filters.widgets.DateRangeWidget:
    """Two date inputs under one visible label: each gets its own name for screen readers."""
    widget = django_filters.widgets.DateRangeWidget(attrs={"type": "date"})
    widget.widgets[0].attrs["aria-label"] = start
    widget.widgets[1].attrs["aria-label"] = end
    return widget


def styled_for_bootstrap(form: forms.Form) -> None:
    """Bootstrap classes on the widgets themselves: the pages render the fields plainly
    (crispy's per-field templates cost more than the rest of the case list together)."""
    for name, field in form.fields.items():
        widget = field.widget
        parts = getattr(widget, "widgets", [widget])
        for part, words in zip(parts, ["from", "to"] if len(parts) == 2 else [""], strict=False):
            part.attrs["class"] = (
                "form-select" if isinstance(part, forms.Select) else "form-control"
            )
            if words:
                part.attrs["aria-label"] = f"{field.label}: {words}"
        if field.help_text:
            widget.attrs["aria-describedby"] = f"{form[name].id_for_label}_help"


class PersonFilter(django_filters.Filter):
    """A person on the cases, picked by name from ``queryset`` (cases/forms/person_search.py);
    the suggestions come from the person search of ``role``."""

    field_class = PersonSearchField

    def __init__(self, *, role: str, **kwargs) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        kwargs.setdefault("lookup_expr", "in")
        slug = role.replace(" ", "-")
        super().__init__(role=role, search_url=reverse_lazy("person-search", args=[slug]), **kwargs)

    @property
    def queryset(self) -> QuerySet[User]:
        return self.extra["queryset"]

    @queryset.setter
    def queryset(self, people: QuerySet[User]) -> None:
        self.extra["queryset"] = people


class CaseFilter(django_filters.FilterSet):
    """Filters over the cases a user may see; the queryset given is already scoped.

    Case manager and clinician are picked by name from the people on those cases only
    (cases/access.py decides who they are), never listed whole: a few thousand people cost
    more to write into the page than the rest of it.
    """

    q = django_filters.CharFilter(
        method="search",
        label="Patient name, claim number or date of birth",
        help_text="Finds the words you type at the start of a name or claim number: "
        "“smi” finds Smith; accents and case do not matter. A date (1984-02-03 or "
        "2/3/1984) finds the patients born that day.",
    )
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, empty_label="Any status")
    jurisdiction = django_filters.ChoiceFilter(choices=JURISDICTIONS, empty_label="Any")
    body_part = django_filters.ChoiceFilter(choices=BodyPart.choices, empty_label="Any")
    insurer = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.INSURER),
        empty_label="Any insurer",
    )
    case_manager = PersonFilter(role="case manager", label="Case manager")
    clinician = PersonFilter(role="clinician", method="treated_by", label="Clinician")
    injured = django_filters.DateFromToRangeFilter(
        field_name="date_of_injury",
        label="Injured between",
        widget=labelled_date_range("Injured on or after", "Injured on or before"),
    )
    mmi = django_filters.DateFromToRangeFilter(
        field_name="mmi_date",
        label="MMI date between",
        widget=labelled_date_range("MMI on or after", "MMI on or before"),
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("claim_number", "claim"),
            ("patient__last_name", "patient"),
            ("date_of_injury", "injured"),
            ("body_part", "body_part"),
            ("jurisdiction", "jurisdiction"),
            ("status", "status"),
            ("insurer__name", "insurer"),
            ("case_manager__last_name", "case_manager"),
            ("next_review_date", "review"),
            ("mmi_date", "mmi"),
            ("opened_at", "opened"),
        ),
        label="Sort by",
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(
        self,
        *args,
        insurers: QuerySet[Organisation] | None = None,
        case_managers: QuerySet[User] | None = None,
        clinicians: QuerySet[User] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if insurers is not None:
            self.filters["insurer"].queryset = insurers
        if case_managers is not None:
            self.filters["case_manager"].queryset = case_managers
        if clinicians is not None:
            self.filters["clinician"].queryset = clinicians
        styled_for_bootstrap(self.form)

    @classmethod
    def of_user(cls, data, user: User) -> "CaseFilter":
        """The filter over the cases ``user`` may see, offering the insurers, case managers and
        clinicians they may pick."""
        return cls(
            data,
            queryset=cases_visible_to(user),
            insurers=insurers_to_filter_by(user),
            case_managers=case_managers_to_filter_by(user),
            clinicians=clinicians_to_filter_by(user),
        )

    @property
    def qs(self) -> CaseQuerySet:
        # The primary key breaks ties so that pages never repeat or skip a case; with no
        # sort chosen the newest cases come first.
        cases = super().qs
        newest_first = (
            f"-{FOUND_OPENED}" if FOUND_OPENED in cases.query.annotations else "-opened_at"
        )
        ordering = list(cases.query.order_by) or [newest_first]
        last = ordering[-1]
        return cases.order_by(*ordering, "-pk" if last.startswith("-") else "pk")

    def search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Every word must start a word of the patient's names or of a claim number
        (cases/domain/search.py). The first term's cases are read from its index in the
        case list's order, so the page asked for is found without reading every match;
        each further term is a probe of the (case, term) key. The queryset given, already
        scoped to the user, decides which of them are shown."""
        born = birth_date_typed(value)
        if born is not None:
            return queryset.filter(patient__date_of_birth=born)
        terms = search_terms(value)
        if not terms:
            return queryset
        first, *others = terms
        found = queryset.filter(search_terms__term=first)
        for other in others:
            found = found.filter(
                Exists(CaseSearchTerm.objects.filter(case=OuterRef("pk"), term=other))
            )
        # The same row of the first term, copied to order by: its index holds the order.
        return found.alias(**{FOUND_OPENED: F("search_terms__opened_at")})

    def treated_by(self, queryset: QuerySet[Case], name: str, people: list[int]) -> QuerySet[Case]:
        team = Case.care_team.through.objects.filter(user__in=people)
        return queryset.filter(pk__in=team.values("case_id"))


class TimeToMmiFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        reached = cleaned.get("mmi")
        if reached and reached.start and reached.stop and reached.start > reached.stop:
            self.add_error("mmi", "The first date is after the second: swap them.")
        return cleaned


class TimeToMmiFilter(django_filters.FilterSet):
    """Which cases at MMI the Time to MMI page counts: by state, body part and when they
    reached MMI (a period's outcomes, as a carrier reports them)."""

    jurisdiction = django_filters.ChoiceFilter(
        choices=JURISDICTIONS, label="Jurisdiction", empty_label="Any state"
    )
    body_part = django_filters.ChoiceFilter(
        choices=BodyPart.choices, label="Body part", empty_label="Any body part"
    )
    mmi = django_filters.DateFromToRangeFilter(
        field_name="mmi_date",
        label="Reached MMI between",
        widget=labelled_date_range("Reached MMI on or after", "Reached MMI on or before"),
    )

    class Meta:
        model = Case
        fields: list[str] = []
        form = TimeToMmiFilterForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        styled_for_bootstrap(self.form)

    @classmethod
    def of_user(cls, data, user: User) -> "TimeToMmiFilter":
        """The filter over the cases ``user`` may see."""
        return cls(data, queryset=cases_visible_to(user))

    @property
    def in_use(self) -> bool:
        """Whether any filter holds a value it accepts: the page then counts the cases they
        pick (one refused is left out, with its message)."""
        if not self.is_bound:
            return False
        self.form.is_valid()
        return any(
            value not in (None, "", slice(None, None)) for value in self.form.cleaned_data.values()
        )
