"""Issuing reports (docs/architecture.md §3, §8): render once, store the bytes with their
SHA-256."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..models import Case, Determination, IssuedReport, User
from .documents import (
    case_file_name,
    determination_file_name,
    render_case_document,
    render_determination_document,
)
from .rendering import RenderedReport


class DraftNotIssued(Exception):
    """A draft determination is not issued: its documents are rendered fresh, watermarked."""


def _store(rendered: RenderedReport, *, file_name: str, **fields) -> IssuedReport:
    report = IssuedReport(sha256=rendered.sha256, content_sha256=rendered.content_sha256, **fields)
    stem = file_name.removesuffix(".pdf")
    report.file.save(f"{stem}-{rendered.sha256[:12]}.pdf", ContentFile(rendered.pdf), save=False)
    report.save()
    return report


@transaction.atomic
def determination_report_issue(
    *, determination: Determination, kind: IssuedReport.Kind, issued_by: User
) -> IssuedReport:
    """The certification or patient letter of a determination in its current state (signed,
    superseded or rescinded), rendered and stored the first time it is asked for.

    Every later call returns the same stored report, so every download gets the same
    bytes. The determination row is locked so that two first downloads issue one report.
    """
    if kind not in IssuedReport.DETERMINATION_KINDS:
        raise ValueError(f"{kind!r} is not a report of a determination.")
    locked = (
        Determination.objects.select_for_update().select_related("case").get(pk=determination.pk)
    )
    if locked.is_draft:
        raise DraftNotIssued(f"MMI determination v{locked.version} is a draft: it is not issued.")
    existing = IssuedReport.objects.filter(
        determination=locked, kind=kind, determination_status=locked.status
    ).first()
    if existing is not None:
        return existing
    issued_at = timezone.now()
    rendered = render_determination_document(locked.pk, kind, generated_at=issued_at)
    return _store(
        rendered,
        file_name=determination_file_name(locked, kind),
        case=locked.case,
        determination=locked,
        determination_status=locked.status,
        kind=kind,
        version=locked.version,
        issued_by=issued_by,
        issued_at=issued_at,
    )


def determination_reports_issue(
    *, determination: Determination, issued_by: User
) -> list[IssuedReport]:
    """Issue a just-signed determination's certification and patient letter.

    Called from ``determination_sign`` inside its transaction, so the signature and the
    documents it produced are committed together or not at all.
    """
    return [
        determination_report_issue(determination=determination, kind=kind, issued_by=issued_by)
        for kind in IssuedReport.DETERMINATION_KINDS
    ]


@transaction.atomic
def case_report_issue(*, case: Case, kind: IssuedReport.Kind, issued_by: User) -> IssuedReport:
    """Render the case summary or the employer's work status report as the case stands now
    and store it as the case's next version of that report.

    Raises ``documents.NothingToReport`` when there is nothing to show (no work status).
    """
    if kind in IssuedReport.DETERMINATION_KINDS:
        raise ValueError(f"{kind!r} is a report of a determination.")
    # The lock numbers versions one at a time.
    Case.objects.select_for_update().get(pk=case.pk)
    last = (
        IssuedReport.objects.filter(case=case, kind=kind, determination=None)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    issued_at = timezone.now()
    rendered = render_case_document(case.pk, kind, generated_at=issued_at)
    return _store(
        rendered,
        file_name=case_file_name(case, kind, issued_at),
        case=case,
        kind=kind,
        version=(last or 0) + 1,
        issued_by=issued_by,
        issued_at=issued_at,
    )
