"""The work status report for the employer (Texas DWC073 model, docs/domain.md §7).

It is the employer's copy, so it carries no diagnosis (docs/domain.md §9): no ICD-10 code, no
description of the injury or of the body part injured, no clinical finding, and not the
free-text explanation of the status either, since a doctor may well name the condition
there. The restrictions say what the worker may do, which is all the employer needs.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from ..domain.work_status import PhysicalDemandLevel, demand_level_for
from ..models import Case, WorkRestriction, WorkStatus
from .content import (
    ClaimParties,
    Doctor,
    ReportHeader,
    case_document_file_name,
    claim_parties,
    doctor,
)


@dataclass(frozen=True)
class RestrictionGroup:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class WorkStatusReport:
    header: ReportHeader
    parties: ClaimParties
    doctor: Doctor
    kind: str
    kind_label: str
    statement: str
    effective_from: date
    expected_through: date | None
    hours_per_day: int | None
    medication_effects: str
    restriction_groups: tuple[RestrictionGroup, ...]
    demand_level: PhysicalDemandLevel | None
    has_explanation: bool
    issued_on: date
    permanent: bool = False


def work_status_file_name(case: Case, generated_at: datetime) -> str:
    return case_document_file_name("Work-status", case, generated_at)


def _restriction_line(restriction: WorkRestriction) -> str:
    parts = [restriction.activity]
    if restriction.frequency == WorkRestriction.Frequency.NEVER:
        parts.append("never")
    elif restriction.frequency:
        parts.append(restriction.get_frequency_display().lower())
    if restriction.max_pounds is not None:
        parts.append(f"at most {restriction.max_pounds} lb")
    if restriction.max_hours_per_day is not None:
        hours = restriction.max_hours_per_day.normalize()
        parts.append(f"at most {hours:f} hour{'' if hours == 1 else 's'} a day")
    if restriction.body_part:
        side = f"{restriction.get_side_display().lower()} " if restriction.side else ""
        parts.append(f"{side}{restriction.get_body_part_display().lower()}")
    line = ", ".join(parts)
    if restriction.is_permanent:
        line += " (permanent)"
    if restriction.notes:
        line += f" — {restriction.notes}"
    return line


def _demand_level(restrictions: list[WorkRestriction]) -> PhysicalDemandLevel | None:
    """The DOL level the lift limits allow (docs/domain.md §7), when any lift limit is set."""
    limits: dict[str, Decimal | int | None] = {
        WorkRestriction.Frequency.OCCASIONAL: None,
        WorkRestriction.Frequency.FREQUENT: None,
        WorkRestriction.Frequency.CONSTANT: None,
    }
    found = False
    for restriction in restrictions:
        if restriction.category != WorkRestriction.Category.LIFT_CARRY:
            continue
        if restriction.frequency == WorkRestriction.Frequency.NEVER:
            limits = dict.fromkeys(limits, 0)
            found = True
        elif restriction.frequency in limits and restriction.max_pounds is not None:
            current = limits[restriction.frequency]
            limits[restriction.frequency] = min(
                restriction.max_pounds, current if current is not None else restriction.max_pounds
            )
            found = True
    if not found:
        return None
    return demand_level_for(
        limits[WorkRestriction.Frequency.OCCASIONAL],
        limits[WorkRestriction.Frequency.FREQUENT],
        limits[WorkRestriction.Frequency.CONSTANT],
    )


def work_status_report(case_id: int, *, generated_at: datetime) -> WorkStatusReport | None:
    """The employer's copy of the case's current work status, in three queries; None when
    no work status has been issued."""
    case = Case.objects.with_parties().get(pk=case_id)
    status = (
        WorkStatus.objects.filter(case=case)
        .select_related("issued_by")
        .prefetch_related(Prefetch("restrictions", queryset=WorkRestriction.objects.all()))
        .order_by("-effective_from", "-pk")
        .first()
    )
    if status is None:
        return None
    restrictions = list(status.restrictions.all())
    groups = []
    for category, title in WorkRestriction.Category.choices:
        lines = tuple(_restriction_line(r) for r in restrictions if r.category == category)
        if lines:
            groups.append(RestrictionGroup(title, lines))
    return WorkStatusReport(
        header=ReportHeader(
            title="Work status report (employer copy)",
            claim_number=case.claim_number,
            state_claim_number=case.state_claim_number,
            patient_name=str(case.patient),
            document_id=work_status_file_name(case, generated_at).removesuffix(".pdf"),
            generated_at=generated_at,
        ),
        parties=claim_parties(case),
        doctor=doctor(status.issued_by),
        kind=status.kind,
        kind_label=status.get_kind_display(),
        statement=status.statement,
        permanent=status.is_permanent,
        effective_from=status.effective_from,
        expected_through=status.expected_through,
        hours_per_day=status.hours_per_day,
        medication_effects=status.medication_effects,
        restriction_groups=tuple(groups),
        demand_level=_demand_level(restrictions),
        has_explanation=bool(status.explanation.strip()),
        issued_on=timezone.localdate(status.created_at),
    )
