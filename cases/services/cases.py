"""Opening and changing cases, and the moves of their status (docs/architecture.md §3)."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..domain.dates import day_label
from ..domain.disability import DisabilityPeriod as DisabilityPeriodDates
from ..domain.disability import check_disability_periods
from ..models import (
    Case,
    CaseStatus,
    DisabilityPeriod,
    Instrument,
    Language,
    Organisation,
    Patient,
    User,
)
from ..selectors.patients import patient_on_file
from .plateau import case_plateau_refresh
from .search import case_search_terms_refresh, patient_search_terms_refresh
from .summaries import case_opened_summarise, case_summarised


class InvalidTransition(Exception):
    """The case or determination is not in a state that allows this change."""


DisabilityPeriods = Sequence[tuple[date, date | None]]


class CaseFields(TypedDict, total=False):
    """A case's own fields as the case form gives them (cases/forms/cases.py), set on the
    case as given and checked by its full_clean."""

    patient: Patient
    claim_number: str
    state_claim_number: str
    jurisdiction: str
    date_of_injury: date
    spinal_extension_ordered_on: date | None
    spinal_extension_date: date | None
    body_part: str
    body_side: str
    diagnosis_codes: str
    injury_description: str
    employer: Organisation
    insurer: Organisation
    case_manager: User
    adjuster: User | None
    representative_name: str
    representative_address: str
    representative_fax: str
    average_weekly_wage: Decimal | None
    next_review_date: date | None


class PatientFields(TypedDict, total=False):
    """A patient's details as the patient form gives them (cases/forms/cases.py)."""

    first_name: str
    last_name: str
    date_of_birth: date
    phone: str
    email: str
    address: str
    ssn_last4: str
    preferred_language: str


class PatientOnFile(ValidationError):
    """The name and date of birth given are those of a patient already on file."""

    def __init__(self, patient: Patient) -> None:
        super().__init__(
            f"{patient}, born {day_label(patient.date_of_birth)}, is already on file.",
            code="patient_on_file",
        )
        self.patient = patient


def _refuse_patient_on_file(patient: Patient) -> None:
    """One person is on file once: the same name and date of birth as another patient's is
    refused, naming that patient."""
    on_file = patient_on_file(
        first_name=patient.first_name,
        last_name=patient.last_name,
        date_of_birth=patient.date_of_birth,
        other_than=patient.pk,
    )
    if on_file is not None:
        raise PatientOnFile(on_file)


@transaction.atomic
def patient_create(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    phone: str = "",
    email: str = "",
    address: str = "",
    ssn_last4: str = "",
    preferred_language: str = Language.ENGLISH,
) -> Patient:
    """Put a new injured worker on file (opening their first case). Refuses someone already
    on file (``PatientOnFile``, naming them)."""
    patient = Patient(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        phone=phone,
        email=email,
        address=address,
        ssn_last4=ssn_last4,
        preferred_language=preferred_language,
    )
    patient.full_clean()
    _refuse_patient_on_file(patient)
    patient.save()
    return patient


@transaction.atomic
def patient_update(*, patient: Patient, **fields: Unpack[PatientFields]) -> Patient:
    """Change a patient's details (their history keeps every version, and who made it) and
    file their cases under their names as saved. Refuses the name and date of birth of
    another patient on file (``PatientOnFile``)."""
    for name, value in fields.items():
        setattr(patient, name, value)
    patient.full_clean()
    _refuse_patient_on_file(patient)
    patient.save()
    patient_search_terms_refresh(patient=patient)
    return patient


@transaction.atomic
def case_open(
    *,
    opened_by: User,
    care_team: Iterable[User] = (),
    tracked: Iterable[Instrument] = (),
    disability_periods: DisabilityPeriods = (),
    **fields: Unpack[CaseFields],
) -> Case:
    """Open a new case, managed by whoever opens it unless a case manager is named.

    Its status starts at "open"; recording treatment moves it on. ``disability_periods`` are
    the (from, through) runs off work, through None while still off work."""
    fields.setdefault("case_manager", opened_by)
    case = Case(**fields)
    case.full_clean()
    case.save()
    case.care_team.set(care_team)
    case.tracked_instruments.set(tracked)
    _case_disability_set(case, disability_periods)
    case_search_terms_refresh(cases=[case])
    case_opened_summarise(case=case)
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    care_team: Iterable[User] | None = None,
    tracked: Iterable[Instrument] | None = None,
    disability_periods: DisabilityPeriods | None = None,
    **fields: Unpack[CaseFields],
) -> Case:
    """Change a case's claim data, parties, care team or periods of disability (never its
    status). Statutory MMI is worked out again from what is saved."""
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    with case_summarised(case.pk):
        case.save()
    if care_team is not None:
        case.care_team.set(care_team)
    if tracked is not None:
        case.tracked_instruments.set(tracked)
        case_plateau_refresh(case.pk)
    _case_disability_set(case, disability_periods)
    case_search_terms_refresh(cases=[case])
    return case


def case_statutory_mmi_refresh(*, case: Case) -> Case:
    """Work out the case's statutory MMI again from what is saved (after an edit that did
    not go through ``case_update``, such as the admin's)."""
    _case_disability_set(case, None)
    return case


@transaction.atomic
def case_admin_save(*, case: Case, save: Callable[[], None]) -> Case:
    """Save a case added or edited in the admin (``save`` writes it) and keep its search
    terms and the summaries in step."""
    if case.pk is None:
        save()
        case_opened_summarise(case=case)
    else:
        with case_summarised(case.pk):
            save()
    case_search_terms_refresh(cases=[case])
    return case


@transaction.atomic
def case_admin_delete(*, case: Case, delete: Callable[[], None]) -> None:
    """Delete a case in the admin (one with no records yet: they protect it) and take it
    out of the summaries."""
    with case_summarised(case.pk):
        delete()


@transaction.atomic
def patient_admin_save(*, patient: Patient, save: Callable[[], None]) -> Patient:
    """Save a patient edited in the admin and file their cases under their names as saved."""
    save()
    patient_search_terms_refresh(patient=patient)
    return patient


def _case_disability_set(case: Case, periods: DisabilityPeriods | None) -> None:
    """Replace the case's periods of disability (None: keep them) after checking them
    together, and keep its first day of disability and statutory MMI date in step."""
    if periods is None:
        # Read afresh: a copy of the case may hold an older prefetch of its periods.
        periods = list(DisabilityPeriod.objects.filter(case=case).values_list("began", "ended"))
    else:
        problems = check_disability_periods(
            [DisabilityPeriodDates(began, ended) for began, ended in periods],
            date_of_injury=case.date_of_injury,
            today=timezone.localdate(),
        )
        if problems:
            raise ValidationError({"disability_periods": list(problems)})
        DisabilityPeriod.objects.filter(case=case).delete()
        DisabilityPeriod.objects.bulk_create(
            DisabilityPeriod(case=case, began=began, ended=ended) for began, ended in periods
        )
    statutory = case.statutory_mmi([DisabilityPeriodDates(b, e) for b, e in periods])
    case.disability_began = min((began for began, _ in periods), default=None)
    case.statutory_mmi_date = statutory.mmi_date if statutory else None
    case.save(update_fields=["disability_began", "statutory_mmi_date", "updated_at"])


def _case_set_status(case: Case, status: CaseStatus, *, allowed_from: set[str]) -> None:
    if case.status not in allowed_from:
        raise InvalidTransition(
            f"A case that is {case.get_status_display().lower()} cannot become "
            f"{status.label.lower()}."
        )
    with case_summarised(case.pk):
        case.status = status
        case.save(update_fields=["status", "updated_at"])


def case_start_treatment(*, case: Case) -> None:
    """Open and reopened cases move into treatment when treatment is recorded."""
    _case_set_status(
        case, CaseStatus.IN_TREATMENT, allowed_from={CaseStatus.OPEN, CaseStatus.REOPENED}
    )


def case_close(*, case: Case) -> Case:
    """Close a case that is at MMI."""
    _case_set_status(case, CaseStatus.CLOSED, allowed_from={CaseStatus.AT_MMI})
    return case


def care_team_changed(sender: type, instance: Case, action: str, **kwargs: object) -> None:
    """Keep ``Case.has_clinician`` in step with the care team however it changed
    (``m2m_changed`` of ``Case.care_team``: the services, the admin, ``add``, ``remove``,
    ``clear``), always from the case's side, where django-simple-history keeps its
    history."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    on_team = Case.care_team.through.objects.filter(case_id=OuterRef("pk"))
    Case.objects.filter(pk=instance.pk).update(has_clinician=Exists(on_team))
