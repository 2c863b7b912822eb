"""Issuing reports (docs/architecture.md §3, §8): render once, store the bytes with their
SHA-256.

Rendering takes seconds, so it happens outside any transaction and holds no lock: the file is
written in full first, and the row that names it is written afterwards, in a short
transaction that checks the state rendered is still the state to record. Nothing ever points
at a file half-written, and a rendering that lost a race is thrown away.
"""

import os

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..models import Determination, IssuedReport, User
from ..models.reports import PreparedReport
from .documents import determination_file_name, render_determination_document


class DraftNotIssued(Exception):
    """A draft determination is not issued: its documents are prepared, watermarked, and
    served as they stand (cases/reports/preparing.py)."""


def pdf_store(pdf: bytes, file_name: str) -> str:
    """Write the PDF to the media storage under a name of its own, flushed to disk, and
    return that name. Rows name the file only after this returns."""
    field = IssuedReport._meta.get_field("file")
    name = field.storage.save(field.generate_filename(None, file_name), ContentFile(pdf))
    try:
        path = field.storage.path(name)
    except NotImplementedError:  # a remote storage: its save returns once it holds the file
        return name
    with open(path, "rb") as written:
        os.fsync(written.fileno())
    return name


def pdf_discard(name: str) -> None:
    """Remove a stored file no row names (a rendering that lost a race, or was replaced)."""
    IssuedReport._meta.get_field("file").storage.delete(name)


def _stored_name(file_name: str, sha256: str) -> str:
    return f"{file_name.removesuffix('.pdf')}-{sha256[:12]}.pdf"


def _issuer_id(determination: Determination) -> int:
    """Who issued the documents of the determination's current state: whoever's act made
    that state: the signature, the signature of the amendment that superseded it, or the
    re-opening of MMI."""
    if determination.status == Determination.Status.SUPERSEDED:
        amendment = (
            Determination.objects.filter(supersedes=determination)
            .values_list("certifying_clinician_id", flat=True)
            .first()
        )
        if amendment is not None:
            return amendment
    if determination.status == Determination.Status.RESCINDED and determination.rescinded_by_id:
        return determination.rescinded_by_id
    return determination.certifying_clinician_id


def determination_report_issue(
    *, determination: Determination, kind: IssuedReport.Kind
) -> IssuedReport | None:
    """The certification or patient letter of a determination in its current state (signed,
    superseded or rescinded): the one already issued, or rendered and issued now.

    Run on the task queue once the state is committed (cases/tasks.py), or by an export that
    finds a copy missing. The signed copy is dated at the signature, and shows the records as
    they were then (``certification.determination_with_records``). Run twice, it issues
    once. None when the determination left that state while it was being rendered: the new
    state's copy is issued by a task of its own.
    """
    if kind not in IssuedReport.DETERMINATION_KINDS:
        raise ValueError(f"{kind!r} is not a report of a determination.")
    current = Determination.objects.select_related("case").get(pk=determination.pk)
    if current.is_draft:
        raise DraftNotIssued(f"MMI determination v{current.version} is a draft: it is not issued.")
    existing = IssuedReport.objects.filter(
        determination=current, kind=kind, determination_status=current.status
    ).first()
    if existing is not None:
        return existing
    generated_at = (
        current.signed_at
        if current.status == Determination.Status.SIGNED and current.signed_at
        else timezone.now()
    )
    rendered = render_determination_document(current.pk, kind, generated_at=generated_at)
    name = pdf_store(
        rendered.pdf, _stored_name(determination_file_name(current, kind), rendered.sha256)
    )
    with transaction.atomic():
        # The lock orders this check against a signature, amendment or re-opening.
        locked = Determination.objects.select_for_update().get(pk=current.pk)
        if locked.status == current.status:
            existing = IssuedReport.objects.filter(
                determination=locked, kind=kind, determination_status=locked.status
            ).first()
            if existing is None:
                return IssuedReport.objects.create(
                    case_id=locked.case_id,
                    determination=locked,
                    determination_status=locked.status,
                    kind=kind,
                    version=locked.version,
                    file=name,
                    sha256=rendered.sha256,
                    content_sha256=rendered.content_sha256,
                    issued_by_id=_issuer_id(locked),
                    issued_at=timezone.now(),
                )
    pdf_discard(name)
    return existing


def determination_reports_issue(*, determination: Determination) -> list[IssuedReport]:
    """Issue the certification and the patient letter of the determination's current state
    (the task run after a signature, an amendment's signature or a re-opening commits)."""
    issued = [
        determination_report_issue(determination=determination, kind=kind)
        for kind in IssuedReport.DETERMINATION_KINDS
    ]
    return [report for report in issued if report is not None]


@transaction.atomic
def case_report_issue(*, prepared: PreparedReport, issued_by: User) -> IssuedReport | None:
    """Issue a prepared case document (summary, employer work status report) at its first
    download: the case's next version of that report, with the prepared file, by the person
    downloading it. Later downloads of the same rendering return the same issued report.

    None when the rendering was replaced since it was read (the case changed): the caller
    answers that the new one is being prepared.
    """
    locked = (
        PreparedReport.objects.select_for_update(of=("self",))
        .select_related("issued")
        .filter(pk=prepared.pk, revision=prepared.revision, file=prepared.file.name)
        .first()
    )
    if locked is None:
        return None
    if locked.issued is not None:
        return locked.issued
    # One prepared row per case and kind, locked: versions are numbered one at a time.
    last = (
        IssuedReport.objects.filter(case_id=locked.case_id, kind=locked.kind, determination=None)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    issued = IssuedReport.objects.create(
        case_id=locked.case_id,
        kind=locked.kind,
        version=(last or 0) + 1,
        file=locked.file.name,
        sha256=locked.sha256,
        content_sha256=locked.content_sha256,
        issued_by=issued_by,
        issued_at=timezone.now(),
    )
    locked.issued = issued
    locked.save(update_fields=["issued"])
    return issued
