"""Documents rendered ahead of their download, on the task queue (docs/architecture.md §8).

A download serves stored bytes. What is stored, and when:

- a case document (case summary, employer work status report) and a draft's documents
  (watermarked certification and letter): a ``PreparedReport`` for the case's current
  ``revision`` (cases/reports/revisions.py), rendered at the first download that finds none,
  and rendered again after every later change to the case, once the changes pause
  (``DEBOUNCE``), replacing the previous rendering;
- a determination's documents in each state it reaches (signed, superseded, rescinded): an
  ``IssuedReport``, rendered once that state is committed (cases/reports/issuing.py).

Until it is stored, a download answers that the document is being prepared, and asks for it.
"""

import logging
import time
from collections.abc import Iterable
from datetime import datetime

from celery import Task
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnreachable

from .. import tasks
from ..models import Case, Determination, IssuedReport, User
from ..models.reports import PreparedReport
from .documents import (
    NothingToReport,
    case_file_name,
    determination_file_name,
    render_case_document,
    render_determination_document,
)
from .issuing import pdf_discard, pdf_store
from .rendering import RenderedReport

logger = logging.getLogger(__name__)

Kind = IssuedReport.Kind

# A case's documents are rendered again this long after a change, so that the changes of a
# burst (a form saved, then the next) are rendered once: the task of an earlier change finds
# the case changed since, and leaves it to the last one.
DEBOUNCE = 10
# A download that asks for a document is not asked again for this long (the page refreshes
# every few seconds while the document is rendered).
ASKED_FOR = 30


# --- Asking for documents --------------------------------------------------------------------


def case_changed(*, case_id: int) -> None:
    """After a change to the case commits: if any of its documents was prepared, have them
    rendered again once the changes pause. Documents nobody has downloaded are left to their
    first download."""
    row = (
        Case.objects.filter(pk=case_id)
        .annotate(prepared=Exists(PreparedReport.objects.filter(case=OuterRef("pk"))))
        .values_list("revision", "prepared")
        .first()
    )
    if row is None or not row[1]:
        return
    _enqueue(tasks.prepare_case_documents, countdown=DEBOUNCE, case_id=case_id, revision=row[0])


class RenderingsSpent(Exception):
    """The user has had ``RENDERINGS_PER_USER_PER_MINUTE`` documents rendered for them this
    minute: a flood of first downloads cannot keep the workers rendering for one user."""

    def __init__(self, retry_after: int):
        super().__init__(f"Too many documents asked for; try again in {retry_after} s.")
        self.retry_after = retry_after


def report_prepare_ask(
    *, case: Case, kind: str, determination: Determination | None, user: User
) -> None:
    """A download by ``user`` found no rendering of the case's current revision: render one
    (raises ``RenderingsSpent`` when they have had their share this minute)."""
    determination_id = determination.pk if determination else None
    _ask(
        f"prepare-report:{case.pk}:{kind}:{determination_id}:{case.revision}",
        tasks.prepare_report,
        user=user,
        case_id=case.pk,
        kind=kind,
        determination_id=determination_id,
    )


def determination_documents_ask(*, determination: Determination, user: User | None) -> None:
    """The determination's documents of its current state: issue them (after a signature,
    an amendment or a re-opening commits, or when a download by ``user`` finds them
    missing)."""
    _ask(
        f"issue-documents:{determination.pk}:{determination.status}",
        tasks.issue_determination_documents,
        user=user,
        determination_id=determination.pk,
    )


def _ask(key: str, task: Task, *, user: User | None, **kwargs) -> None:
    # Without a broker the task runs here and now: by the time a second request asks, the
    # document is stored, so there is nothing to hold back.
    eager = task.app.conf.task_always_eager
    if not eager and cache.get(key):
        return
    if user is not None:
        _renderings_spend(user)
    if not eager and not cache.add(key, True, ASKED_FOR):
        return
    _enqueue(task, **kwargs)


def _renderings_spend(user: User) -> None:
    """Count one rendering asked for by ``user`` in this minute (in the shared cache, like
    the API's rate limits)."""
    now = time.time()
    key = f"renderings:{user.pk}:{int(now // 60)}"
    cache.add(key, 0, 120)
    if cache.incr(key) > settings.RENDERINGS_PER_USER_PER_MINUTE:
        raise RenderingsSpent(retry_after=60 - int(now % 60))


def _enqueue(task: Task, *, countdown: int | None = None, **kwargs) -> None:
    try:
        task.apply_async(kwargs=kwargs, countdown=countdown)
    except BrokerUnreachable:
        # The change is committed all the same; the next download asks again.
        logger.exception("Could not queue %s %s", task.name, kwargs)


# --- What the pages show ---------------------------------------------------------------------


def kinds_being_prepared(determination: Determination, issued: Iterable[IssuedReport]) -> set[str]:
    """The documents of a signed, superseded or rescinded determination not issued yet for
    its current state, from its issued reports (already read)."""
    if determination.is_draft:
        return set()
    ready = {
        report.kind for report in issued if report.determination_status == determination.status
    }
    return {str(kind) for kind in IssuedReport.DETERMINATION_KINDS} - ready


def determination_documents(determination: Determination) -> tuple[list[IssuedReport], set[str]]:
    """The determination page's issued reports, and which documents of its current state
    are being prepared.

    Those are asked for here, so that "being prepared" is true of a state whose copies were
    never sent for (a determination written by a data load): without a broker they are
    issued now, and read again."""
    issued = list(determination.issued_reports.all())
    if kinds_being_prepared(determination, issued):
        determination_documents_ask(determination=determination, user=None)
        issued = list(determination.issued_reports.all())
    return issued, kinds_being_prepared(determination, issued)


def determinations_being_prepared(
    determinations: Iterable[Determination], *, ask: bool = True
) -> set[int]:
    """Which of these determinations have documents of their current state not issued yet,
    in one query; with ``ask``, those are asked for, as on the determination page. A list of
    determinations (the case page) does not ask: with no broker each would render in the
    request, and its download asks anyway."""
    shown = {d.pk: d for d in determinations if not d.is_draft}
    preparing = _not_issued(shown)
    if preparing and ask:
        for pk in preparing:
            determination_documents_ask(determination=shown[pk], user=None)
        preparing = _not_issued({pk: shown[pk] for pk in preparing})
    return preparing


def _not_issued(determinations: dict[int, Determination]) -> set[int]:
    if not determinations:
        return set()
    issued: dict[int, set[str]] = {}
    for determination_id, kind, status in IssuedReport.objects.filter(
        determination_id__in=list(determinations)
    ).values_list("determination_id", "kind", "determination_status"):
        if determinations[determination_id].status == status:
            issued.setdefault(determination_id, set()).add(kind)
    every_kind = {str(kind) for kind in IssuedReport.DETERMINATION_KINDS}
    return {pk for pk in determinations if issued.get(pk, set()) != every_kind}


# --- Rendering, on the task queue -----------------------------------------------------------


def current_prepared(
    case: Case, kind: str, determination: Determination | None = None
) -> PreparedReport | None:
    """The stored rendering of the case's current revision (``case`` as read by the request,
    revision included), with its issued report; None when there is none yet."""
    return (
        PreparedReport.objects.select_related("issued")
        .filter(case=case, kind=kind, determination=determination, revision=case.revision)
        .first()
    )


def case_documents_to_refresh(*, case_id: int, revision: int) -> list[PreparedReport]:
    """The case's prepared documents to render again after the change that brought it to
    ``revision``; none when it has changed again since (that change's task renders them).
    Drops the renderings of drafts that are drafts no more."""
    current = Case.objects.filter(pk=case_id).values_list("revision", flat=True).first()
    if current != revision:
        return []
    stale = []
    for prepared in PreparedReport.objects.filter(case_id=case_id).select_related("determination"):
        if prepared.determination is not None and not prepared.determination.is_draft:
            _prepared_drop(prepared)
        elif prepared.revision != revision:
            stale.append(prepared)
    return stale


def report_prepare(
    *, case_id: int, kind: str, determination_id: int | None = None
) -> PreparedReport | None:
    """Render a case document, or a draft's document, as the case stands, and store it in
    place of the previous rendering.

    Run twice, or after another run stored the same revision, it renders nothing. When the
    case changes while it renders, its rendering is thrown away (it may mix the two states):
    the change asks again. None when there is nothing to prepare (no work status yet, a
    determination no longer a draft).
    """
    revision = Case.objects.filter(pk=case_id).values_list("revision", flat=True).first()
    if revision is None:
        return None
    previous = _subject(case_id, kind, determination_id).first()
    if previous is not None and previous.revision == revision:
        return previous
    generated_at = timezone.now()
    try:
        rendered, file_name = _render(case_id, kind, determination_id, generated_at)
    except NothingToReport:
        if previous is not None:
            _prepared_drop(previous)
        return None
    if previous is not None and rendered.content_sha256 == previous.content_sha256:
        # Stored once per content: a document that reads as the stored copy does (but for
        # when it was generated) is that copy, kept for the new revision.
        return _prepared_keep(previous, revision)
    name = pdf_store(rendered.pdf, f"{file_name.removesuffix('.pdf')}-{rendered.sha256[:12]}.pdf")
    try:
        with transaction.atomic():
            prepared = _prepared_save(
                case_id, kind, determination_id, revision, name, rendered, generated_at
            )
    except IntegrityError:  # a first rendering stored by another run at the same moment
        prepared = None
    if prepared is None:
        pdf_discard(name)
    return prepared


def _subject(case_id: int, kind: str, determination_id: int | None) -> QuerySet[PreparedReport]:
    """The rendering of one document: a case's (no determination) or a draft's."""
    of = (
        Q(determination__isnull=True)
        if determination_id is None
        else Q(determination_id=determination_id)
    )
    return PreparedReport.objects.filter(of, case_id=case_id, kind=kind)


def _render(
    case_id: int, kind: str, determination_id: int | None, generated_at: datetime
) -> tuple[RenderedReport, str]:
    if determination_id is None:
        case = Case.objects.get(pk=case_id)
        rendered = render_case_document(case_id, kind, generated_at=generated_at)
        return rendered, case_file_name(case, kind, generated_at)
    determination = (
        Determination.objects.drafts()
        .select_related("case")
        .filter(pk=determination_id, case_id=case_id)
        .first()
    )
    if determination is None:
        raise NothingToReport("The determination is not a draft any more.")
    rendered = render_determination_document(determination_id, kind, generated_at=generated_at)
    return rendered, determination_file_name(determination, kind)


def _prepared_save(
    case_id: int,
    kind: str,
    determination_id: int | None,
    revision: int,
    name: str,
    rendered: RenderedReport,
    generated_at: datetime,
) -> PreparedReport | None:
    # Checked again now that it is rendered: had the case changed, what was read may mix
    # the two states.
    if not Case.objects.filter(pk=case_id, revision=revision).exists():
        return None
    if (
        determination_id is not None
        and not Determination.objects.drafts().filter(pk=determination_id).exists()
    ):
        return None
    prepared = _subject(case_id, kind, determination_id).select_for_update().first()
    if prepared is None:
        prepared = PreparedReport(case_id=case_id, kind=kind, determination_id=determination_id)
    elif prepared.revision >= revision:
        return None
    else:
        _file_drop_after_commit(prepared)
    prepared.revision = revision
    prepared.file.name = name
    prepared.sha256 = rendered.sha256
    prepared.content_sha256 = rendered.content_sha256
    prepared.generated_at = generated_at
    prepared.issued = None
    prepared.save()
    return prepared


def _prepared_keep(prepared: PreparedReport, revision: int) -> PreparedReport | None:
    """The stored rendering, unchanged in content, now for ``revision`` too."""
    with transaction.atomic():
        if not Case.objects.filter(pk=prepared.case_id, revision=revision).exists():
            return None
        kept = (
            PreparedReport.objects.select_for_update(of=("self",))
            .select_related("issued")
            .filter(pk=prepared.pk, revision__lt=revision)
            .first()
        )
        if kept is None:
            return None
        kept.revision = revision
        kept.save(update_fields=["revision"])
    return kept


def _prepared_drop(prepared: PreparedReport) -> None:
    with transaction.atomic():
        locked = PreparedReport.objects.select_for_update().filter(pk=prepared.pk).first()
        if locked is not None:
            _file_drop_after_commit(locked)
            locked.delete()


def _file_drop_after_commit(prepared: PreparedReport) -> None:
    """A replaced rendering's file goes, unless it was issued: then its issued report owns
    it for good."""
    if prepared.issued_id is None:
        name = prepared.file.name
        transaction.on_commit(lambda: pdf_discard(name), robust=True)
