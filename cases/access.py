"""Who sees and changes what: the one place permissions live (docs/architecture.md §5).

A case the user may not see answers 404, exactly like a case that does not exist; an
action the user's role may not take on a case they can see answers 403.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from .models import (
    Case,
    Determination,
    Dispute,
    IssuedReport,
    Organisation,
    Patient,
    ReportExport,
    Role,
    User,
)
from .models.cases import CaseQuerySet
from .models.determinations import DeterminationQuerySet


class Capability(StrEnum):
    OPEN_CASE = "open_case"
    MANAGE_CASE = "manage_case"  # parties, care team, review date
    RECORD_CLINICAL = "record_clinical"  # treatments, assessments, diagnostics, work status
    DETERMINE = "determine"  # start and edit MMI determinations, sign one's own
    RECORD_DISPUTE = "record_dispute"
    SEE_DRAFTS = "see_drafts"
    SEE_BENEFITS = "see_benefits"
    SEE_CASELOAD_STATISTICS = "see_caseload_statistics"  # time to MMI across cases
    EXPORT_REPORTS = "export_reports"  # a ZIP of many signed certifications
    RECEIVE_DIGEST = "receive_digest"  # the daily email of what the worklists hold
    ADD_PARTIES = "add_parties"  # employers, insurers and adjusters, from the case form
    ADD_OUTSIDE_RECORDS = "add_outside_records"  # upload outside medical records, withdraw them
    SEE_CLINICAL_ONLY_RECORDS = "see_clinical_only_records"  # those kept from the payer
    SEARCH_RECORDS = "search_records"  # the outside records of all the cases one sees at once
    KEEP_DIARY = "keep_diary"  # tasks on a case: make them, be assigned them, mark them done
    RECORD_DELIVERY = "record_delivery"  # a copy of an issued document faxed, mailed, handed
    # Questionnaire links to the patient and their plans (patient_links/).
    SEND_QUESTIONNAIRES = "send_questionnaires"
    WRITE_NOTES = "write_notes"  # the case's communication log (notes/)
    # Notes private to clinicians: only the care team's; not the payer's, nor the case
    # manager's, nor an administrator's (who does not see drafts either).
    SEE_PRIVATE_NOTES = "see_private_notes"


CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CLINICIAN: frozenset(
        {
            Capability.ADD_OUTSIDE_RECORDS,
            Capability.SEE_CLINICAL_ONLY_RECORDS,
            Capability.SEARCH_RECORDS,
            Capability.RECORD_CLINICAL,
            Capability.DETERMINE,
            Capability.SEE_DRAFTS,
            Capability.RECEIVE_DIGEST,
            Capability.KEEP_DIARY,
            Capability.SEND_QUESTIONNAIRES,
            Capability.RECORD_DELIVERY,
            Capability.WRITE_NOTES,
            Capability.SEE_PRIVATE_NOTES,
        }
    ),
    Role.CASE_MANAGER: frozenset(
        {
            Capability.ADD_OUTSIDE_RECORDS,
            Capability.SEE_CLINICAL_ONLY_RECORDS,
            Capability.SEARCH_RECORDS,
            Capability.OPEN_CASE,
            Capability.MANAGE_CASE,
            Capability.ADD_PARTIES,
            Capability.RECORD_DISPUTE,
            Capability.SEE_DRAFTS,
            Capability.SEE_BENEFITS,
            Capability.SEE_CASELOAD_STATISTICS,
            Capability.EXPORT_REPORTS,
            Capability.RECEIVE_DIGEST,
            Capability.KEEP_DIARY,
            Capability.SEND_QUESTIONNAIRES,
            Capability.RECORD_DELIVERY,
            Capability.WRITE_NOTES,
        }
    ),
    Role.ADJUSTER: frozenset(
        {
            Capability.SEE_BENEFITS,
            Capability.SEE_CASELOAD_STATISTICS,
            Capability.EXPORT_REPORTS,
            Capability.KEEP_DIARY,
            Capability.WRITE_NOTES,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Capability.ADD_OUTSIDE_RECORDS,
            Capability.SEE_CLINICAL_ONLY_RECORDS,
            Capability.SEARCH_RECORDS,
            Capability.OPEN_CASE,
            Capability.MANAGE_CASE,
            Capability.ADD_PARTIES,
            Capability.RECORD_DISPUTE,
            Capability.SEE_DRAFTS,
            Capability.SEE_BENEFITS,
            Capability.SEE_CASELOAD_STATISTICS,
            Capability.EXPORT_REPORTS,
            Capability.KEEP_DIARY,
            Capability.RECORD_DELIVERY,
            Capability.WRITE_NOTES,
        }
    ),
}


def has_capability(user: User, capability: Capability) -> bool:
    """Whether the user's role grants this capability at all."""
    if not user.is_authenticated or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def roles_with(capability: Capability) -> list[str]:
    """The roles granted this capability, for choosing users in a query."""
    return [role for role, granted in CAPABILITIES.items() if capability in granted]


def cases_visible_to(user: User) -> CaseQuerySet:
    """The cases this user may see: the care team's, the manager's, the insurer's, or all."""
    cases = Case.objects.all()
    if not user.is_authenticated or not user.is_active:
        return cases.none()
    if user.role == Role.ADMINISTRATOR:
        return cases
    if user.role == Role.CASE_MANAGER:
        return cases.filter(case_manager=user)
    if user.role == Role.ADJUSTER:
        if user.organisation_id is None:
            return cases.none()
        return cases.filter(insurer_id=user.organisation_id)
    if user.role == Role.CLINICIAN:
        # A subquery rather than a join, so that callers can count and order without
        # duplicate rows.
        return cases.filter(
            pk__in=Case.care_team.through.objects.filter(user_id=user.pk).values("case_id")
        )
    return cases.none()


def users_who_see(case: Case) -> QuerySet[User]:
    """The active users who may see this case, the same rule as ``cases_visible_to`` read
    the other way: every administrator, its case manager, its insurer's adjusters and its
    care team."""
    return User.objects.filter(is_active=True).filter(
        Q(role=Role.ADMINISTRATOR)
        | Q(role=Role.CASE_MANAGER, pk=case.case_manager_id)
        | Q(role=Role.ADJUSTER, organisation_id=case.insurer_id)
        | Q(
            role=Role.CLINICIAN,
            pk__in=case.care_team.through.objects.filter(case_id=case.pk).values("user_id"),
        )
    )


def of_visible_cases(user: User, case: str = "case") -> Q:
    """Keeps the rows (determinations, disputes, work statuses…) whose case, reached by the
    lookup ``case``, this user may see: the same rule as ``cases_visible_to``. For every
    case or an insurer's (thousands of cases) it is written on the case's own columns, which
    PostgreSQL joins more cheaply than it plans a subquery; a manager's or a care team's few
    cases stay a subquery, from which PostgreSQL starts."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.ADMINISTRATOR:
        return Q()
    if user.role == Role.ADJUSTER:
        if user.organisation_id is None:
            return Q(pk__in=[])
        return Q(**{f"{case}__insurer_id": user.organisation_id})
    return Q(**{f"{case}__in": cases_visible_to(user)})


@dataclass(frozen=True)
class SummaryScope:
    """A user who sees every case (insurer None) or one whole insurer's: the scopes whose
    summaries are kept as cases change (cases/models/summaries.py)."""

    insurer_id: int | None


def summary_scope(user: User) -> SummaryScope | None:
    """The user's summary scope; None for users who see cases of their own (a case
    manager's, a care team's), whose figures are worked out from those cases."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ADMINISTRATOR:
        return SummaryScope(insurer_id=None)
    if user.role == Role.ADJUSTER and user.organisation_id is not None:
        return SummaryScope(insurer_id=user.organisation_id)
    return None


def insurers_to_filter_by(user: User) -> QuerySet[Organisation]:
    """The insurers the case list offers to filter by: an adjuster's own only (the others'
    cases are not theirs to see), every insurer for everyone else."""
    insurers = Organisation.objects.filter(kind=Organisation.Kind.INSURER)
    if user.role == Role.ADJUSTER:
        return insurers.filter(members=user)
    return insurers


def case_managers_to_filter_by(user: User) -> QuerySet[User]:
    """The case managers the case list offers to filter by: those who manage a case the user
    may see, and nobody else (a case manager sees only themselves)."""
    managing = cases_visible_to(user).filter(case_manager=OuterRef("pk"))
    return User.objects.filter(role=Role.CASE_MANAGER).filter(Exists(managing))


def clinicians_to_filter_by(user: User) -> QuerySet[User]:
    """The clinicians the case list offers to filter by: those on the care team of a case
    the user may see, and nobody else."""
    on_team = Case.care_team.through.objects.filter(of_visible_cases(user), user=OuterRef("pk"))
    return User.objects.filter(role=Role.CLINICIAN).filter(Exists(on_team))


def patients_visible_to(user: User) -> QuerySet[Patient]:
    """Patients the user may pick when opening a case: those of cases they can see, or every
    patient for an administrator."""
    if not user.is_authenticated or not user.is_active:
        return Patient.objects.none()
    if user.role == Role.ADMINISTRATOR:
        return Patient.objects.all()
    return Patient.objects.filter(cases__in=cases_visible_to(user)).distinct()


def patients_to_pick(user: User, *, on_file: Patient | None = None) -> QuerySet[Patient]:
    """The patients the user may open a case for: those they may see and, when the details
    they typed for a new patient are those of a patient already on file (``on_file``), that
    one, so that one person is not put on file twice. The user learns of them no more than
    the name and birth date they typed themselves."""
    visible = patients_visible_to(user)
    if on_file is None:
        return visible
    return Patient.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk=on_file.pk))


def chooses_case_manager(user: User, *, opening: bool) -> bool:
    """Whether the user names the case manager: a case manager manages the cases they open,
    and may hand one they manage over to another case manager when editing it."""
    return not opening or user.role != Role.CASE_MANAGER


def edits_diagnoses(user: User) -> bool:
    """Whether the user writes diagnosis codes somewhere, and so may search the code set:
    on a case they open or manage, or on a determination's clinical evaluation."""
    return any(
        has_capability(user, capability)
        for capability in (Capability.OPEN_CASE, Capability.MANAGE_CASE, Capability.DETERMINE)
    )


def works_for_carrier(user: User, case: Case) -> bool:
    """Whether the user is one of the case's insurance carrier's people (an adjuster of its
    insurer): their download of an issued copy is the carrier's delivery."""
    return (
        user.is_authenticated
        and user.role == Role.ADJUSTER
        and user.organisation_id is not None
        and user.organisation_id == case.insurer_id
    )


def may_certify(clinician: User, care_team: Iterable[User]) -> bool:
    """Whether this clinician may certify MMI on a case with this care team: an active
    clinician allowed to certify, on the team. ``care_team`` is the case's team as already
    loaded (``case.care_team.all()`` prefetched), so this asks the database nothing."""
    on_care_team = any(member.pk == clinician.pk for member in care_team)
    return (
        clinician.role == Role.CLINICIAN
        and clinician.is_active
        and clinician.may_certify_mmi
        and on_care_team
    )


def require_care_team_clinician(case: Case, user: User) -> None:
    """Only a clinician on the case's care team drafts a determination for it (403)."""
    if user.role != Role.CLINICIAN or not case.care_team.filter(pk=user.pk).exists():
        raise PermissionDenied("Only a clinician on the case's care team drafts a determination.")


def get_cases_for(user: User, case_ids: list[int]) -> CaseQuerySet:
    """Several cases at once, all of which the user must see: 404 if any one is hidden or
    missing, as for one case."""
    cases = cases_visible_to(user).filter(pk__in=case_ids)
    if cases.count() != len(set(case_ids)):
        raise Http404("No such case.")
    return cases


def get_case_for(
    user: User,
    case_id: int,
    *,
    capability: Capability | None = None,
    refine: Callable[[CaseQuerySet], QuerySet[Case]] | None = None,
) -> Case:
    """The case, if the user may see it (404 otherwise) and, when a capability is named,
    may do that on it (403 otherwise). ``refine`` adds to the query of the visible cases what
    the caller needs loaded with the case (``lambda cases: cases.with_parties()``); it may
    not widen it."""
    cases = cases_visible_to(user)
    visible = refine(cases) if refine is not None else cases
    case = visible.filter(pk=case_id).first()
    if case is None:
        raise Http404("No such case.")
    if capability is not None and not has_capability(user, capability):
        raise PermissionDenied("Your role may not do this on a case.")
    return case


def determinations_visible_to(user: User) -> DeterminationQuerySet:
    """Determinations on visible cases; adjusters see signed, superseded and rescinded
    versions only, never drafts."""
    determinations = Determination.objects.filter(of_visible_cases(user))
    if not has_capability(user, Capability.SEE_DRAFTS):
        determinations = determinations.filter(~Q(status=Determination.Status.DRAFT))
    return determinations


def get_determination_for(
    user: User, determination_id: int, *, capability: Capability | None = None
) -> Determination:
    """The determination, if the user may see it (404 otherwise) and, when a capability is
    named, may do that (403 otherwise)."""
    determination = (
        determinations_visible_to(user)
        .select_related("case", "case__patient", "certifying_clinician")
        .filter(pk=determination_id)
        .first()
    )
    if determination is None:
        raise Http404("No such determination.")
    if capability is not None and not has_capability(user, capability):
        raise PermissionDenied("Your role may not do this on a determination.")
    return determination


def reports_visible_to(user: User) -> QuerySet[IssuedReport]:
    """Issued reports of visible cases; a determination's only while the user may see it."""
    return IssuedReport.objects.filter(of_visible_cases(user)).filter(
        Q(determination__isnull=True) | Q(determination__in=determinations_visible_to(user))
    )


def get_dispute_for(
    user: User, dispute_id: int, *, capability: Capability | None = None
) -> Dispute:
    """The dispute, if the user may see its determination (404 otherwise) and, when a
    capability is named, may do that (403 otherwise)."""
    dispute = (
        Dispute.objects.filter(determination__in=determinations_visible_to(user))
        .select_related("case", "case__patient", "determination")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise Http404("No such dispute.")
    if capability is not None and not has_capability(user, capability):
        raise PermissionDenied("Your role may not do this on a dispute.")
    return dispute


def exports_of(user: User) -> QuerySet[ReportExport]:
    """The bulk exports this user asked for: nobody else's, whatever their role."""
    if not user.is_authenticated or not user.is_active:
        return ReportExport.objects.none()
    return ReportExport.objects.filter(requested_by=user)


def get_export_for(user: User, export_id: int) -> ReportExport:
    """The export, if this user asked for it (404 otherwise, as for one that does not
    exist): a ZIP of certifications goes to its requester only."""
    export = exports_of(user).filter(pk=export_id).first()
    if export is None:
        raise Http404("No such export.")
    return export
