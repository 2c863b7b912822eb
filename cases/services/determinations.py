"""Drafting, signing, amending and rescinding MMI determinations (docs/domain.md §2, §6;
docs/architecture.md §3)."""

from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from outside_records.citations import Citation, PagesRefused, cited_pages
from outside_records.models import OutsideRecord, RecordCitation

from .. import events
from ..access import Capability, has_capability, require_care_team_clinician
from ..determination.readiness import (
    COLUMNS,
    RECEIVED_DATE_FILLED,
    Review,
    certification_facts,
    load_case_records,
    review,
    saved_steps,
)
from ..domain import impairment
from ..domain.jurisdictions import for_code
from ..domain.validity import RULE_FIELDS, field_errors
from ..domain.work_status import certified_restrictions
from ..models import (
    Case,
    CaseStatus,
    Determination,
    DeterminationLocked,
    DeterminationStep,
    Dispute,
    ImpairmentItem,
    User,
    WorkRestriction,
    WorkStatus,
)
from ..reports.preparing import determination_documents_ask
from ..templatetags.dates import day
from .cases import InvalidTransition, _case_set_status
from .records import work_status_save
from .summaries import case_summarised


class StepConflict(Exception):
    """Someone else saved the step since the form was opened; ``saved`` is their version."""

    def __init__(self, saved: DeterminationStep):
        super().__init__(
            f"{saved.get_slug_display()} was saved by {saved.saved_by} since you opened it."
        )
        self.saved = saved


class NotReadyToSign(Exception):
    """A step is incomplete or a validity rule fails; ``review`` says which."""

    def __init__(self, review: Review):
        super().__init__("The determination cannot be signed yet.")
        self.review = review


# At MMI the case is next looked at when the certification becomes final unless disputed
# (Texas: 90 days after notice, docs/domain.md §2); where the law sets no window, after this long.
REVIEW_AFTER_MMI = timedelta(days=90)

Slug = DeterminationStep.Slug


# Everything an amendment starts from: the signed version's content, not its identity, its
# signature or its lifecycle. Derived from the model so a new field is never left behind.
_NOT_AMENDED = {
    "id",
    "case",
    "version",
    "supersedes",
    "certifying_clinician",
    "started_at",
    "signed_at",
    "dispute_deadline",
    *Determination.LIFECYCLE_FIELDS,
}


AMENDMENT_COPIES = tuple(
    field.name for field in Determination._meta.concrete_fields if field.name not in _NOT_AMENDED
)


def _lock_determination(determination: Determination) -> Determination:
    # DeterminationQuerySet is a bare QuerySet, so mypy reads its rows as Any.
    locked: Determination = (
        Determination.objects.select_for_update()
        .select_related("certifying_clinician")
        .get(pk=determination.pk)
    )
    return locked


def _require_draft(determination: Determination) -> None:
    if not determination.is_draft:
        raise DeterminationLocked(
            f"MMI determination v{determination.version} is "
            f"{determination.get_status_display().lower()} and can no longer be changed: "
            "amend it to make a new version."
        )


def _require_in_force(determination: Determination, action: str) -> None:
    if not determination.is_in_force:
        raise InvalidTransition(
            f"MMI determination v{determination.version} is "
            f"{determination.get_status_display().lower()}: only the signed certification "
            f"in force can be {action}."
        )


def _next_version(case: Case) -> int:
    return (case.determinations.aggregate(Max("version"))["version__max"] or 0) + 1


def _open_draft(case: Case) -> Determination | None:
    return case.determinations.drafts().first()


@transaction.atomic
def determination_start(*, case: Case, started_by: User) -> Determination:
    """Start a draft MMI determination, certified by whoever starts it unless step 5 names
    another doctor. One open draft per case; a case with a certification in force is
    amended or re-opened instead. The case moves into MMI review."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_care_team_clinician(case, started_by)
    draft = _open_draft(case)
    if draft is not None:
        raise InvalidTransition(
            f"This case already has a draft determination (v{draft.version}): continue it."
        )
    in_force = case.determinations.signed().first()
    if in_force is not None:
        raise InvalidTransition(
            f"This case has a signed certification (v{in_force.version}): amend it, or "
            "re-open MMI, instead of starting a new determination."
        )
    if case.status == CaseStatus.CLOSED:
        raise InvalidTransition("A closed case cannot get a new MMI determination.")
    determination = Determination.objects.create(
        case=case,
        version=_next_version(case),
        certifying_clinician=started_by,
        jurisdiction=case.jurisdiction,
    )
    if case.status in {CaseStatus.OPEN, CaseStatus.IN_TREATMENT, CaseStatus.REOPENED}:
        _case_set_status(
            case,
            CaseStatus.MMI_REVIEW,
            allowed_from={CaseStatus.OPEN, CaseStatus.IN_TREATMENT, CaseStatus.REOPENED},
        )
    return determination


@transaction.atomic
def determination_save_step(
    *,
    determination: Determination,
    slug: str,
    columns: dict[str, Any],
    answers: dict[str, Any],
    expected_revision: int,
    saved_by: User,
    impairment_items: Sequence[impairment.ImpairmentItem] | None = None,
    citations: Sequence[Citation] | None = None,
) -> DeterminationStep:
    """Save one step of a draft: its Determination columns and its narrative answers.

    ``expected_revision`` is the step's revision when the form was opened (0: never
    saved). If someone saved the step since, nothing is written and StepConflict carries
    their version. Raises DeterminationLocked once the determination is signed.

    ``impairment_items`` (the outcome step) replace the draft's items; when there are any,
    the whole person rating is the one computed from them, whatever ``columns`` says.

    ``citations`` replace the outside records the step cites (None: they stay as they are):
    records of the case, not withdrawn, with pages the record has. The date all medical
    records were received (step 1) is then the latest receipt of the records cited when the
    doctor left it blank, and refused when typed earlier than one of them (``_records_received``).
    """
    step_columns = COLUMNS[slug]
    unknown = set(columns) - {*step_columns, "jurisdiction", "statutory_mmi_date"}
    if unknown:
        raise ValueError(f"Step {slug} does not write {sorted(unknown)}.")
    # Locking the determination serialises every save of its steps.
    locked = _lock_determination(determination)
    _require_draft(locked)
    saved = (
        DeterminationStep.objects.select_related("saved_by")
        .filter(determination=locked, slug=slug)
        .first()
    )
    if saved is not None and saved.revision != expected_revision:
        raise StepConflict(saved)
    cited = _cited_records(locked, citations, saved_by) if citations is not None else None
    if impairment_items:
        columns = {
            **columns,
            "impairment_rating": impairment.rate_whole_person(impairment_items).result,
        }
    for name, value in columns.items():
        setattr(locked, name, value)
    _step_check(locked, step_columns, impairment_items)
    if impairment_items is not None:
        _impairment_items_replace(locked, impairment_items)
    if slug == Slug.CLINICAL:
        answers = {**answers, RECEIVED_DATE_FILLED: columns.get("records_received_date") is None}
    if saved is None:
        saved = DeterminationStep(determination=locked, slug=slug, revision=0)
    saved.answers = answers
    saved.revision += 1
    saved.saved_by = saved_by
    saved.save()
    if cited is not None:
        RecordCitation.objects.filter(step=saved).delete()
        for record, pages in cited:
            RecordCitation.objects.create(step=saved, record=record, pages=pages)
    written = list(columns)
    if _records_received(locked, slug) and "records_received_date" not in written:
        written.append("records_received_date")
    if written:
        locked.full_clean(validate_constraints=False)
        locked.save(update_fields=[*written, "updated_at"])
        for name in written:
            setattr(determination, name, getattr(locked, name))
    return saved


def _record_words(record: OutsideRecord) -> str:
    served = f" of {day(record.service_date)}" if record.service_date else ""
    return f"{record.get_document_type_display()}{served} ({record.original_name})"


def _cited_records(
    determination: Determination, citations: Sequence[Citation], by: User
) -> list[tuple[OutsideRecord, str]]:
    """The records a step is to cite, each with its pages as written, or ValidationError:
    only the case's own records, in force, that the doctor may see, and pages they have.
    They are locked, so none is withdrawn while the step cites it."""
    ids = [citation.record_id for citation in citations]
    records = {
        record.pk: record
        for record in OutsideRecord.objects.select_for_update(of=("self",))
        .select_related("stored_file")
        .filter(pk__in=ids, case_id=determination.case_id)
    }
    cited: list[tuple[OutsideRecord, str]] = []
    problems: list[str] = []
    for citation in citations:
        record = records.get(citation.record_id)
        if record is None or (
            record.clinical_only and not has_capability(by, Capability.SEE_CLINICAL_ONLY_RECORDS)
        ):
            problems.append("Only the case's own outside records can be cited.")
            continue
        if record.is_withdrawn:
            problems.append(
                f"{_record_words(record)} was withdrawn on {day(record.withdrawn_at)}: it can no "
                "longer be cited."
            )
            continue
        try:
            cited.append((record, cited_pages(citation.pages, record.stored_file.page_count)))
        except PagesRefused as refused:
            problems.append(f"{_record_words(record)}: {refused}")
    if len(set(ids)) != len(ids):
        problems.append("A record is cited twice in the same step.")
    if problems:
        raise ValidationError(problems)
    return cited


def _records_received(determination: Determination, slug: str) -> bool:
    """Keep the date all medical records were received (DWC069; the certification's due date
    runs from it, 28 TAC 130.1(d)(2)) with the outside records the determination cites: left
    blank in step 1, it is the latest receipt among them; typed, it may not be earlier than
    any. Returns whether the date changed; ValidationError when the typed date is refused."""
    clinical = DeterminationStep.objects.filter(determination=determination, slug=Slug.CLINICAL)
    answers = clinical.values_list("answers", flat=True).first()
    typed = (
        determination.records_received_date
        if answers is not None and not answers.get(RECEIVED_DATE_FILLED)
        else None
    )
    latest = (
        OutsideRecord.objects.filter(citations__step__determination=determination)
        .order_by("-received_on", "-pk")
        .first()
    )
    if typed is None:
        filled = latest.received_on if latest is not None else None
        changed = filled != determination.records_received_date
        determination.records_received_date = filled
        return changed
    if latest is not None and typed < latest.received_on:
        if slug == Slug.CLINICAL:
            raise ValidationError(
                {
                    "records_received_date": (
                        f"{_record_words(latest)}, cited in this determination, was received "
                        f"on {day(latest.received_on)}: all medical records cannot have been "
                        "received before it. Give that day or a later one, or leave the date "
                        "blank to have it filled from the records cited."
                    )
                }
            )
        raise ValidationError(
            f"Step 1 says all medical records were received on {day(typed)}, but "
            f"{_record_words(latest)} was received on {day(latest.received_on)}. Change that "
            "date in step 1, or leave it blank there to have it filled from the records cited, "
            "then cite this record."
        )
    return False


def _step_check(
    determination: Determination,
    fields: Sequence[str],
    items: Sequence[impairment.ImpairmentItem] | None,
) -> None:
    """Refuse a step whose own fields break a validity rule, with the checklist's reasons
    by field (the rest of the checklist is judged at signing)."""
    if not any(field in RULE_FIELDS.values() for field in fields):
        return
    case = load_case_records(Case.objects.get(pk=determination.case_id))
    facts = certification_facts(determination, saved_steps(determination), case, items=items)
    errors = field_errors(facts, fields)
    if errors:
        raise ValidationError(errors)


def _impairment_items_replace(
    determination: Determination, items: Sequence[impairment.ImpairmentItem]
) -> None:
    """Replace a draft's impairment items (their whole person rating, docs/domain.md §3, is
    saved by the caller)."""
    saved = determination.impairment_items.all()
    if [item.as_rated() for item in saved] != list(items):
        saved.delete()
        for position, item in enumerate(items):
            ImpairmentItem.objects.create(
                determination=determination,
                position=position,
                region=item.region,
                level=item.level,
                value=item.value,
                method=item.method,
                mode=item.mode,
            )


@transaction.atomic
def determination_sign(*, determination: Determination, signed_by: User) -> Determination:
    """Sign a complete, valid draft: only its certifying clinician may (the view checks
    their password first). The signed version supersedes the one it amends; the case
    moves to "at MMI", or stays in treatment until the expected MMI date. The case's
    diagnosis codes become the certification's; a certification of MMI issues the work
    status it sets (``_work_status_issue``), and an amendment to "not at MMI" puts back the
    one before the version it amends."""
    locked = _lock_determination(determination)
    _require_draft(locked)
    if signed_by.pk != locked.certifying_clinician_id:
        raise PermissionDenied(
            f"Only the certifying clinician, {locked.certifying_clinician}, may sign."
        )
    case = load_case_records(Case.objects.select_for_update().get(pk=locked.case_id))
    # The records cited are locked so that none is withdrawn while the signature reads them
    # (a step citing a withdrawn record is not complete).
    list(
        OutsideRecord.objects.select_for_update(of=("self",)).filter(
            citations__step__determination=locked
        )
    )
    steps = saved_steps(locked)
    checked = review(locked, steps, case)
    if not checked.may_sign:
        raise NotReadyToSign(checked)
    superseded = None
    if locked.supersedes is not None:
        previous = _lock_determination(locked.supersedes)
        if previous.is_in_force:
            previous.status = Determination.Status.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
            _documents_after_commit(previous)
            superseded = previous
    today = timezone.localdate()
    # Until each party's delivery is recorded, the window is counted from the signing.
    window = for_code(case.jurisdiction).dispute_deadline(today)
    locked.status = Determination.Status.SIGNED
    locked.signed_at = timezone.now()
    locked.statutory_mmi_date = checked.statutory_mmi_date
    locked.dispute_deadline = window.last_day if window else None
    locked.fingerprint = locked.certified_fingerprint(steps.values())
    locked.save(
        update_fields=[
            "status",
            "signed_at",
            "statutory_mmi_date",
            "dispute_deadline",
            "fingerprint",
            "updated_at",
        ]
    )

    if locked.mmi_reached:
        case.mmi_date = locked.mmi_date
        status = CaseStatus.AT_MMI
        case.next_review_date = window.last_day if window else today + REVIEW_AFTER_MMI
    else:
        case.mmi_date = None
        status = CaseStatus.IN_TREATMENT
        case.next_review_date = locked.expected_mmi_date
    if not case.disputes.filter(outcome=Dispute.Outcome.PENDING).exists():
        case.status = status
    codes = _diagnosis_codes(locked.diagnosis_codes)
    if codes:
        case.diagnosis_codes = codes
    with case_summarised(case.pk):
        case.save(
            update_fields=[
                "status",
                "mmi_date",
                "next_review_date",
                "diagnosis_codes",
                "updated_at",
            ]
        )
    if locked.mmi_reached:
        _work_status_issue(locked, today)
    elif locked.supersedes is not None:
        _work_status_restore(locked.supersedes, signed_by, today)
    _documents_after_commit(locked)
    if superseded is not None:
        events.send_on_commit(
            events.certification_amended,
            Determination,
            determination=locked,
            superseded=superseded,
        )
    else:
        events.send_on_commit(events.certification_signed, Determination, determination=locked)
    return locked


def _diagnosis_codes(typed: str) -> str:
    """The certification's ICD-10 codes as the case keeps them: comma-separated, primary
    first, no spaces."""
    return ",".join(code.strip().upper() for code in typed.split(",") if code.strip())


# The certifier's DWC069 role as the DWC073 names it: the doctor the treating doctor selects
# to act in their place is, on the work status, the referral doctor.
_PRACTITIONER_ROLES: dict[str, str] = {
    Determination.CertifierRole.TREATING: WorkStatus.PractitionerRole.TREATING,
    Determination.CertifierRole.FOR_TREATING: WorkStatus.PractitionerRole.REFERRAL,
    Determination.CertifierRole.DESIGNATED: WorkStatus.PractitionerRole.DESIGNATED,
    Determination.CertifierRole.CARRIER_RME: WorkStatus.PractitionerRole.RME,
}


def _work_status_issue(determination: Determination, today: date) -> WorkStatus:
    """The work status a certification of MMI sets, as of its signing (docs/domain.md §7): a
    return with its permanent restrictions, running through no date, or, with none, a return
    without restrictions.

    Each restriction the certification states is one row. A line that reads as a permanent
    restriction of the status in force (as the outcome step pre-fills them) keeps that row's
    detail; any other line is kept in the certification's own words."""
    lines = certified_restrictions(determination.permanent_restrictions)
    status = WorkStatus(
        case_id=determination.case_id,
        kind=WorkStatus.Kind.RESTRICTED if lines else WorkStatus.Kind.FULL_DUTY,
        effective_from=today,
        # The certification's exam is the visit the status was given at (the DWC073's).
        visited_on=determination.exam_date,
        issued_by=determination.certifying_clinician,
        practitioner_role=_PRACTITIONER_ROLES.get(determination.certifier_role, ""),
        determination=determination,
    )
    current = _current_work_status(determination.case_id)
    known = {
        str(row).casefold(): row
        for row in (current.restrictions.all() if current is not None else ())
        if row.is_permanent
    }
    return work_status_save(
        work_status=status, restrictions=[_restriction(line, known) for line in lines]
    )


# WorkRestriction's lengths: a longer line is kept whole in the notes.
_ACTIVITY_LENGTH = WorkRestriction._meta.get_field("activity").max_length or 100
_NOTES_LENGTH = WorkRestriction._meta.get_field("notes").max_length or 300


def _restriction(line: str, known: dict[str, WorkRestriction]) -> WorkRestriction:
    row = known.get(line.casefold())
    if row is not None:
        return WorkRestriction(
            **{name: getattr(row, name) for name in WorkRestriction.RECORDED_FIELDS},
        )
    if len(line) <= _ACTIVITY_LENGTH:
        return WorkRestriction(
            category=WorkRestriction.Category.OTHER, activity=line, is_permanent=True
        )
    return WorkRestriction(
        category=WorkRestriction.Category.OTHER,
        activity="as certified",
        notes=line[:_NOTES_LENGTH],
        is_permanent=True,
    )


def _current_work_status(case_id: int) -> WorkStatus | None:
    return (
        WorkStatus.objects.filter(case_id=case_id)
        .prefetch_related("restrictions")
        .order_by("-effective_from", "-pk")
        .first()
    )


def _work_status_restore(determination: Determination, by: User, today: date) -> None:
    """Once ``determination`` no longer stands (re-opened, or amended to "not at MMI"), the
    status it issued gives way to the one issued before it, re-issued as of today: an
    earlier certification's permanent status, or the temporary one it replaced, which then
    runs through its own end date or, if that has passed, through today, so the worklist
    asks for a new one at once. A status issued since by hand stays; with no status before,
    nothing is re-issued."""
    current = _current_work_status(determination.case_id)
    if current is None or current.determination_id != determination.pk:
        return
    before = (
        WorkStatus.objects.filter(case_id=determination.case_id, pk__lt=current.pk)
        .prefetch_related("restrictions")
        .order_by("-pk")
        .first()
    )
    if before is None:
        return
    through = before.expected_through
    if through is not None:
        through = max(through, today)
    work_status_save(
        work_status=WorkStatus(
            case_id=determination.case_id,
            kind=before.kind,
            effective_from=today,
            expected_through=through,
            explanation=before.explanation,
            hours_per_day=before.hours_per_day,
            medication_effects=before.medication_effects,
            issued_by=by,
            determination=before.determination,
        ),
        restrictions=[
            WorkRestriction(
                **{name: getattr(row, name) for name in WorkRestriction.RECORDED_FIELDS}
            )
            for row in before.restrictions.all()
        ],
    )


def _documents_after_commit(determination: Determination) -> None:
    """Have the documents of the determination's new state rendered and issued once the
    change is committed, on the task queue: the transaction holds its locks for no PDF, and
    the pages say "being prepared" until they are stored (cases/reports/preparing.py)."""
    transaction.on_commit(
        partial(determination_documents_ask, determination=determination, user=None), robust=True
    )


@transaction.atomic
def determination_amend(*, determination: Determination, amended_by: User) -> Determination:
    """Start an amendment of the certification in force: a new draft version that copies
    it, steps and the outside records they cite and all, and supersedes it once signed. The
    old version is untouched."""
    original = _lock_determination(determination)
    case = Case.objects.select_for_update().get(pk=original.case_id)
    require_care_team_clinician(case, amended_by)
    _require_in_force(original, "amended")
    draft = _open_draft(case)
    if draft is not None:
        raise InvalidTransition(
            f"Version {draft.version} of this determination is already being drafted: continue it."
        )
    amendment = Determination.objects.create(
        case=case,
        version=_next_version(case),
        supersedes=original,
        certifying_clinician=amended_by,
        **{name: getattr(original, name) for name in AMENDMENT_COPIES},
    )
    for step in original.steps.prefetch_related("citations"):
        copy = DeterminationStep.objects.create(
            determination=amendment, slug=step.slug, answers=step.answers, saved_by=amended_by
        )
        for citation in step.citations.all():
            RecordCitation.objects.create(
                step=copy, record_id=citation.record_id, pages=citation.pages
            )
    _impairment_items_replace(
        amendment, [item.as_rated() for item in original.impairment_items.all()]
    )
    return amendment


@transaction.atomic
def determination_rescind(
    *, determination: Determination, rescinded_by: User, category: str, reason: str
) -> Determination:
    """Re-open MMI (docs/domain.md §6): the certification in force is marked rescinded, with why,
    and kept; the case goes back into treatment, and the work status it issued gives way to
    the one before it (``_work_status_restore``)."""
    if category not in Determination.RescindReason.values:
        raise ValueError(f"{category!r} is not a reason for re-opening MMI.")
    locked = _lock_determination(determination)
    case = Case.objects.select_for_update().get(pk=locked.case_id)
    require_care_team_clinician(case, rescinded_by)
    _require_in_force(locked, "rescinded")
    draft = _open_draft(case)
    if draft is not None:
        raise InvalidTransition(
            f"Version {draft.version} is being drafted for this case: sign it, or re-open "
            "MMI once it is signed."
        )
    locked.status = Determination.Status.RESCINDED
    locked.rescinded_at = timezone.now()
    locked.rescinded_by = rescinded_by
    locked.rescind_category = category
    locked.rescind_reason = reason
    locked.save(update_fields=sorted(Determination.LIFECYCLE_FIELDS))
    case.status = CaseStatus.IN_TREATMENT
    case.mmi_date = None
    with case_summarised(case.pk):
        case.save(update_fields=["status", "mmi_date", "updated_at"])
    _work_status_restore(locked, rescinded_by, timezone.localdate())
    _documents_after_commit(locked)
    events.send_on_commit(
        events.certification_rescinded, Determination, determination=locked, by=rescinded_by
    )
    return locked
