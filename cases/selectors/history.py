"""A case's change history in plain words, from django-simple-history's per-model tables.

One query per history table (plus one per kind of record a changed value points at),
whatever the number of changes: consecutive versions of each record are compared in
memory with `diff_against`, never by walking `prev_record`.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.db import models

from ..models import (
    Assessment,
    Case,
    Consultation,
    Determination,
    DeterminationStep,
    Diagnostic,
    Dispute,
    ImpairmentItem,
    Instrument,
    OutcomeScore,
    Patient,
    Treatment,
    User,
    WorkRestriction,
    WorkStatus,
)
from ..models.cases import KEPT_BY_SERVICES
from ..templatetags.dates import day, moment

# Bookkeeping fields, and links to the parent record (never changed), say nothing a reader needs.
UNSHOWN_FIELDS = {
    "id",
    "created_at",
    "updated_at",
    "opened_at",
    "started_at",
    "position",
    "saved_by",
    "case",
    "assessment",
    "work_status",
    "determination",
    # Kept by the services in step with other rows, whose own history says what changed
    # (not kept in history).
    *KEPT_BY_SERVICES,
}
SYSTEM = "The system"


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    sentence: str  # what follows the name: "changed ODI on 12 Mar 2026 from 38 to 34"


_Model = TypeVar("_Model", bound=models.Model)


@dataclass(frozen=True)
class Tracked(Generic[_Model]):
    """One model whose history belongs on the case page, and how to name one of its rows.
    ``noun`` is given a historical version of the row, which has the model's fields."""

    model: type[_Model]
    rows_of: Callable[[Case], models.Q]
    noun: Callable[[_Model, "Context"], str]
    # The field that is the record itself (a score's value): "changed ODI … from 38 to 34".
    headline: str = ""


@dataclass
class Context:
    names: dict[tuple[type[models.Model], object], str]
    assessment_dates: dict[int, date]
    determination_versions: dict[int, int]

    def determination(self, pk: int) -> str:
        return f"MMI determination v{self.determination_versions.get(pk, '?')}"

    def name(self, model: type[models.Model], pk) -> str:
        return self.names.get((model, pk), f"#{pk} (removed)")


def _day(value: date | None) -> str:
    return day(value) or "an unknown date"


def _history_ids(
    model: type[Assessment] | type[WorkStatus] | type[Determination],
    case: Case,
    field: str = "case_id",
):
    return model.history.model.objects.filter(**{field: case.pk}).values("id")


TRACKED: list[Tracked[Any]] = [
    Tracked[Case](Case, lambda case: models.Q(id=case.pk), lambda row, ctx: "the case"),
    Tracked[Patient](
        Patient, lambda case: models.Q(id=case.patient_id), lambda row, ctx: "the patient"
    ),
    Tracked[Treatment](
        Treatment,
        lambda case: models.Q(case_id=case.pk),
        lambda row, ctx: f"the treatment “{row.description}”",
    ),
    Tracked[Assessment](
        Assessment,
        lambda case: models.Q(case_id=case.pk),
        lambda row, ctx: f"the assessment of {_day(row.date)}",
    ),
    Tracked[OutcomeScore](
        OutcomeScore,
        lambda case: models.Q(assessment_id__in=_history_ids(Assessment, case)),
        lambda row, ctx: (
            f"{ctx.name(Instrument, row.instrument_id)}"
            f" on {_day(ctx.assessment_dates.get(row.assessment_id))}"
        ),
        headline="value",
    ),
    Tracked[Diagnostic](
        Diagnostic,
        lambda case: models.Q(case_id=case.pk),
        lambda row, ctx: f"the {row.get_kind_display()} of {_day(row.date)}",
    ),
    Tracked[Consultation](
        Consultation,
        lambda case: models.Q(case_id=case.pk),
        lambda row, ctx: f"the consultation with {row.consultant}",
    ),
    Tracked[WorkStatus](
        WorkStatus,
        lambda case: models.Q(case_id=case.pk),
        lambda row, ctx: f"the work status as of {_day(row.effective_from)}",
    ),
    Tracked[WorkRestriction](
        WorkRestriction,
        lambda case: models.Q(work_status_id__in=_history_ids(WorkStatus, case)),
        lambda row, ctx: f"the work restriction “{row.activity}”",
    ),
    Tracked[Determination](
        Determination,
        lambda case: models.Q(case_id=case.pk),
        lambda row, ctx: f"MMI determination v{row.version}",
    ),
    Tracked[DeterminationStep](
        DeterminationStep,
        lambda case: models.Q(determination_id__in=_history_ids(Determination, case)),
        lambda row, ctx: (
            f"step “{row.get_slug_display()}” of {ctx.determination(row.determination_id)}"
        ),
    ),
    Tracked[ImpairmentItem](
        ImpairmentItem,
        lambda case: models.Q(determination_id__in=_history_ids(Determination, case)),
        lambda row, ctx: (
            f"the impairment item “{row.region}” of {ctx.determination(row.determination_id)}"
        ),
    ),
    Tracked[Dispute](
        Dispute,
        lambda case: models.Q(case_id=case.pk),
        lambda row, ctx: f"the dispute by {row.get_disputed_by_display().lower()}",
    ),
]


def case_history(case: Case) -> list[HistoryEntry]:
    """Every add, change and removal of the case and its records, newest first."""
    rows_by_model = {
        tracked.model: list(
            tracked.model.history.filter(tracked.rows_of(case))
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        for tracked in TRACKED
    }
    care_team = _care_team_by_history_row(case)
    context = Context(
        names=_names_of_referenced_rows(rows_by_model, care_team.values()),
        assessment_dates={row.id: row.date for row in rows_by_model[Assessment]},
        determination_versions={row.id: row.version for row in rows_by_model[Determination]},
    )
    entries: list[tuple[tuple, HistoryEntry]] = []
    for tracked in TRACKED:
        for previous, row in _consecutive_versions(rows_by_model[tracked.model]):
            order = (row.history_date, row.history_id)
            for sentence in _sentences(tracked, previous, row, context):
                entries.append((order, HistoryEntry(row.history_date, _who(row), sentence)))
    for previous, row in _consecutive_versions(rows_by_model[Case]):
        before = care_team.get(previous.history_id, set()) if previous else set()
        after = care_team.get(row.history_id, set())
        order = (row.history_date, row.history_id)
        for user_id in sorted(after - before):
            sentence = f"added {context.name(User, user_id)} to the care team"
            entries.append((order, HistoryEntry(row.history_date, _who(row), sentence)))
        for user_id in sorted(before - after):
            sentence = f"removed {context.name(User, user_id)} from the care team"
            entries.append((order, HistoryEntry(row.history_date, _who(row), sentence)))
    # Stable sort: within one change, sentences keep their field order.
    entries.sort(key=lambda item: item[0], reverse=True)
    return [entry for _, entry in entries]


def _care_team_by_history_row(case: Case) -> dict[int, set[int]]:
    through = apps.get_model("cases", "HistoricalCase_care_team")
    members: dict[int, set[int]] = defaultdict(set)
    for history_id, user_id in through.objects.filter(history__id=case.pk).values_list(
        "history_id", "user_id"
    ):
        members[history_id].add(user_id)
    return members


def _consecutive_versions(rows: list) -> Iterable[tuple]:
    """(previous version or None, version) for each row, per record, rows sorted by id."""
    previous = None
    for row in rows:
        yield (previous if previous is not None and previous.id == row.id else None), row
        previous = row


def _shown_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in UNSHOWN_FIELDS and not field.primary_key
    ]


def _sentences(tracked: Tracked[Any], previous, row, context: Context) -> list[str]:
    noun = tracked.noun(row, context)
    if row.history_type == "+":
        if tracked.headline:
            headline = tracked.model._meta.get_field(tracked.headline)
            assert isinstance(headline, models.Field)  # a column of the model, e.g. "value"
            value = _shown(headline, row, context)
            return [f"recorded {noun}: {value}"]
        return [f"added {noun}"]
    if row.history_type == "-":
        return [f"removed {noun}"]
    if previous is None:
        return []
    fields = {field.name: field for field in _shown_fields(tracked.model)}
    changed = set(
        row.diff_against(
            previous, included_fields=[name for name, f in fields.items() if f.editable]
        ).changed_fields
    )
    # diff_against reads values through model_to_dict, which skips non-editable fields:
    # exactly those that events change (a case's status, a determination's signing).
    changed.update(
        name
        for name, field in fields.items()
        if not field.editable and getattr(previous, field.attname) != getattr(row, field.attname)
    )
    sentences = []
    for name in fields:  # model order, which is the order a form shows them in
        if name not in changed:
            continue
        field = fields[name]
        if isinstance(field, models.JSONField):
            sentences += _answer_changes(getattr(previous, name), getattr(row, name), noun)
            continue
        what = noun if name == tracked.headline else f"the {field.verbose_name} of {noun}"
        sentences.append(
            f"changed {what} from {_shown(field, previous, context)} "
            f"to {_shown(field, row, context)}"
        )
    return sentences


def _answer_changes(before: dict | None, after: dict | None, noun: str) -> list[str]:
    """A step's narrative answers, one sentence per answer that changed."""
    before, after = before or {}, after or {}
    return [
        f"changed “{key.replace('_', ' ')}” in {noun} from {_plain(before.get(key))} "
        f"to {_plain(after.get(key))}"
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


def _plain(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _shown(field: models.Field, row, context: Context) -> str:
    value = getattr(row, field.attname)
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return context.name(_related_model(field), value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return day(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _related_model(field: models.Field) -> type[models.Model]:
    """The model a relation points at: Django resolves "self" and references by name when
    the models are loaded."""
    related = field.related_model
    assert isinstance(related, type)
    return related


def _names_of_referenced_rows(
    rows_by_model: dict, care_team_members: Iterable[set[int]]
) -> dict[tuple[type[models.Model], object], str]:
    """str() of every row a shown foreign key points at: one query per related model."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for model, rows in rows_by_model.items():
        relations = [field for field in _shown_fields(model) if field.is_relation]
        for row in rows:
            for field in relations:
                value = getattr(row, field.attname)
                if value is not None:
                    wanted[_related_model(field)].add(value)
    for members in care_team_members:
        wanted[User].update(members)
    names = {}
    for model, ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = str(obj)
    return names


def _who(row) -> str:
    return str(row.history_user) if row.history_user_id else SYSTEM
