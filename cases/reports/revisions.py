"""Which state of a case its documents show: ``Case.revision`` (docs/architecture.md §8).

The revision counts the changes to anything a case document or a draft's document prints. A
stored rendering (``PreparedReport``) records the revision it shows, and a download serves it
only while the case is still at that revision, so a download never hands over a document of
an earlier state.

The count is kept by signal receivers, not by the services. Our habit keeps business rules
out of signals; this is no rule but cache invalidation, and a receiver is the one place that
cannot miss a change: every change to case data, made by a service, the Django admin or a
management command, creates a django-simple-history record, and ``post_create_historical_
record`` is sent for each of them (saves, deletions and the care team's many-to-many
changes alike). The rows a document prints that keep no history (organisations, users'
names and licences, outcome measures, all edited in the admin) are watched by their own
``post_save``. The receivers never write a history row themselves: the revision is bumped
with a queryset ``update``.

After the change commits, the case's documents that were prepared before are rendered
again on the task queue (``preparing.case_changed``). Documents nobody has asked for yet
are rendered at their first download.
"""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.db.models import F, Model, Q
from django.db.models.signals import post_save, pre_save
from simple_history.models import registered_models
from simple_history.signals import post_create_historical_record

from mmi_tracker.after_commit import on_commit_once
from outside_records.models import OutsideRecord

from ..models import (
    Assessment,
    Case,
    Consultation,
    Determination,
    DeterminationStep,
    Diagnostic,
    DisabilityPeriod,
    Dispute,
    ImpairmentItem,
    Instrument,
    Organisation,
    OutcomeScore,
    Patient,
    StateAverageWeeklyWage,
    Treatment,
    User,
    WorkRestriction,
    WorkStatus,
)
from . import preparing


def _own_case(record: Any) -> Iterable[int]:
    return [record.case_id]


def _case_through(field: str, parent: type[Model]) -> Callable[[Any], Iterable[int]]:
    """The case of a record that belongs to a case through its ``field`` (a score through
    its assessment): read from the parent row when it is not already loaded."""

    def case_ids(record: Any) -> Iterable[int]:
        if record._meta.get_field(field).is_cached(record):
            return [getattr(record, field).case_id]
        # A parent deleted in the same cascade answers nothing here; its own history record
        # bumps the case.
        return parent._base_manager.filter(pk=getattr(record, f"{field}_id")).values_list(
            "case_id", flat=True
        )

    return case_ids


# Every model with history, and the cases whose documents print it.
CASES_OF: dict[type[Model], Callable[[Any], Iterable[int]]] = {
    Case: lambda case: [case.pk],
    Patient: lambda patient: Case.objects.filter(patient_id=patient.pk).values_list(
        "pk", flat=True
    ),
    DisabilityPeriod: _own_case,
    Treatment: _own_case,
    Assessment: _own_case,
    Diagnostic: _own_case,
    Consultation: _own_case,
    WorkStatus: _own_case,
    Determination: _own_case,
    Dispute: _own_case,
    OutcomeScore: _case_through("assessment", Assessment),
    WorkRestriction: _case_through("work_status", WorkStatus),
    DeterminationStep: _case_through("determination", Determination),
    ImpairmentItem: _case_through("determination", Determination),
}
# Models with history that no document prints.
# An outside record is listed by the certification that cites it, and a cited record may no
# longer change; an upload or a withdrawal leaves the documents as they are.
NOT_PRINTED: set[type[Model]] = {StateAverageWeeklyWage, OutsideRecord}


def case_revisions_bump(case_ids: Iterable[int]) -> None:
    """Count a change of these cases, and have their prepared documents rendered again once
    it commits."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    Case.objects.filter(pk__in=ids).update(revision=F("revision") + 1)
    for case_id in ids:
        on_commit_once(
            ("case-documents", case_id), partial(preparing.case_changed, case_id=case_id)
        )


def _history_recorded(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    model = type(instance)
    if model in NOT_PRINTED:
        return
    # A model given history without a line in CASES_OF fails loudly, not silently stale.
    case_revisions_bump(CASES_OF[model](instance))


def _printed_by_user(user: Any) -> Q:
    return (
        Q(case_manager=user)
        | Q(adjuster=user)
        | Q(care_team=user)
        | Q(assessments__clinician=user)
        | Q(work_statuses__issued_by=user)
        | Q(determinations__certifying_clinician=user)
    )


# Rows without history that documents print: the fields printed, and the cases printing them.
PRINTED_ROWS: dict[type[Model], tuple[tuple[str, ...], Callable[[Any], Q]]] = {
    Organisation: (("name", "address", "phone"), lambda org: Q(employer=org) | Q(insurer=org)),
    User: (
        (
            "username",
            "first_name",
            "last_name",
            "licence_type",
            "licence_number",
            "licence_jurisdiction",
        ),
        _printed_by_user,
    ),
    Instrument: (
        tuple(field.attname for field in Instrument._meta.concrete_fields if not field.primary_key),
        lambda instrument: (
            Q(tracked_instruments=instrument) | Q(assessments__scores__instrument=instrument)
        ),
    ),
}


def _remember_printed(
    sender: type[Model], instance: Model, raw: bool = False, update_fields=None, **kwargs: Any
) -> None:
    fields, _ = PRINTED_ROWS[sender]
    if raw or instance._state.adding:
        return
    if update_fields is not None and not set(update_fields) & set(fields):
        return  # a login's last_login, a digest's date: nothing printed
    before = sender._base_manager.filter(pk=instance.pk).values_list(*fields).first()
    instance.__dict__["_printed_before"] = before


def _printed_saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    before = instance.__dict__.pop("_printed_before", None)
    if before is None:
        return
    fields, _ = PRINTED_ROWS[sender]
    if tuple(getattr(instance, field) for field in fields) == before:
        return
    # Many cases may print the row; their documents are rendered again at their next
    # download rather than all at once now.
    _, printing = PRINTED_ROWS[sender]
    Case.objects.filter(pk__in=Case.objects.filter(printing(instance)).values("pk")).update(
        revision=F("revision") + 1
    )


def connect() -> None:
    """Called once, from the app's ``ready()``."""
    for model in registered_models.values():
        if model._meta.auto_created:
            continue  # a many-to-many table: its change is recorded on its model (the case)
        if model not in CASES_OF and model not in NOT_PRINTED:
            raise LookupError(
                f"{model.__name__} keeps history: say in cases/reports/revisions.py which "
                "cases' documents print it, or that none do."
            )
    post_create_historical_record.connect(_history_recorded, dispatch_uid="case-revision")
    for model in PRINTED_ROWS:
        pre_save.connect(_remember_printed, sender=model, dispatch_uid=f"printed-{model}")
        post_save.connect(_printed_saved, sender=model, dispatch_uid=f"printed-{model}")
