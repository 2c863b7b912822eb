"""Whether the signed records still are what was signed: every issued report's file against
the SHA-256 recorded when it was issued, and every signed determination's content against
the fingerprint recorded when it was signed (docs/security.md)."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from ..models import Determination, IssuedReport

_BATCH = 500


@dataclass(frozen=True)
class Mismatch:
    record: str
    problem: str

    def __str__(self) -> str:
        return f"{self.record}: {self.problem}"


def issued_report_mismatches() -> Iterator[Mismatch]:
    """Each issued report whose file is missing, unreadable or changed."""
    reports = IssuedReport.objects.select_related("case").order_by("pk")
    for report in reports.iterator(chunk_size=_BATCH):
        record = (
            f"Issued report {report.pk} ({report.get_kind_display()} v{report.version}, "
            f"{report.case.claim_number})"
        )
        try:
            with report.file.open("rb") as stored:
                sha256 = hashlib.file_digest(stored, "sha256").hexdigest()
        except OSError as error:
            yield Mismatch(record, f"its file cannot be read ({error.__class__.__name__})")
            continue
        if sha256 != report.sha256:
            yield Mismatch(record, f"its file hashes to {sha256}, not {report.sha256}")


def determination_mismatches() -> Iterator[Mismatch]:
    """Each signed (or since superseded or rescinded) determination whose content no longer
    gives the fingerprint recorded at signing."""
    signed = (
        Determination.objects.exclude(status=Determination.Status.DRAFT)
        .select_related("case")
        .prefetch_related("steps")
        .order_by("pk")
    )
    for determination in signed.iterator(chunk_size=_BATCH):
        found = determination.certified_fingerprint(determination.steps.all())
        if found != determination.fingerprint:
            yield Mismatch(
                f"Determination {determination.pk} (v{determination.version}, "
                f"{determination.case.claim_number})",
                "what it certifies no longer matches the fingerprint recorded at signing",
            )


def record_mismatches() -> list[Mismatch]:
    """Every issued report and signed determination that no longer matches: the reports
    first."""
    return [*issued_report_mismatches(), *determination_mismatches()]
