"""Writes of outside medical records: an upload of one or more files, and a withdrawal.
Each in one transaction; nothing is kept of an upload any of whose files is refused."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import events
from cases.models import Case, User

from . import intake, tasks
from .models import OutsideRecord, RecordLocked, StoredFile
from .selectors import citing_certifications


@dataclass(frozen=True)
class RecordDetails:
    """What the sender tells of the files of one upload: every file of it gets these."""

    document_type: str
    received_on: date
    received_from: str
    service_date: date | None = None
    author: str = ""
    clinical_only: bool = False


# Room for the form's other fields and the multipart boundaries around the files.
FORM_OVERHEAD_BYTES = 64 * 1024


def declared_too_large(meta: Mapping[str, str]) -> bool:
    """Whether a request says, before anything of it is read, that it holds more than an
    upload may (the page and the API refuse it at once)."""
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > settings.OUTSIDE_RECORD_MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES


def records_upload(
    *, case: Case, files: list[UploadedFile], details: RecordDetails, by: User
) -> list[OutsideRecord]:
    """Checks every file (outside_records/intake.py), then keeps each as a record of the
    case, its file stored once however often it is sent. A file refused refuses the whole
    upload, with every refused file's reason (ValidationError), and nothing is kept."""
    if not files:
        raise ValidationError("Choose at least one file.")
    if len(files) > settings.OUTSIDE_RECORD_MAX_FILES:
        raise ValidationError(
            f"An upload holds at most {settings.OUTSIDE_RECORD_MAX_FILES} files; "
            f"this one holds {len(files)}."
        )
    total = sum(upload.size or 0 for upload in files)
    if total > settings.OUTSIDE_RECORD_MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"The files weigh {intake.megabytes(total)} together; an upload may weigh at most "
            f"{intake.megabytes(settings.OUTSIDE_RECORD_MAX_UPLOAD_BYTES)}."
        )
    taken: list[tuple[str, intake.Intake]] = []
    refusals: list[str] = []
    for upload in files:
        name = upload.name or "file"
        try:
            taken.append(
                (name, intake.take(_read(upload), max_bytes=settings.OUTSIDE_RECORD_MAX_FILE_BYTES))
            )
        except intake.Refused as refused:
            refusals.append(f"{name}: {refused}")
    already = set(
        OutsideRecord.objects.in_force()
        .filter(case=case, stored_file__sha256__in=[accepted.sha256 for _, accepted in taken])
        .values_list("stored_file__sha256", flat=True)
    )
    seen: set[str] = set()
    for name, accepted in taken:
        if accepted.sha256 in already:
            refusals.append(f"{name}: this file is already among the case's records.")
        elif accepted.sha256 in seen:
            refusals.append(f"{name}: the same file is chosen twice.")
        seen.add(accepted.sha256)
    if refusals:
        raise ValidationError(refusals)
    with transaction.atomic():
        records = [
            OutsideRecord.objects.create(
                case=case,
                stored_file=_stored(accepted),
                document_type=details.document_type,
                service_date=details.service_date,
                author=details.author,
                received_on=details.received_on,
                received_from=details.received_from,
                clinical_only=details.clinical_only,
                original_name=name[:255],
                uploaded_by=by,
            )
            for name, accepted in taken
        ]
        for record in records:
            events.send_on_commit(
                events.record_added, sender=OutsideRecord, case=case, record=record, by=by
            )
    return records


@transaction.atomic
def record_withdraw(*, record: OutsideRecord, by: User, reason: str) -> OutsideRecord:
    """Withdraws a record sent by mistake: it stays, marked, in the case's history, with
    who withdrew it, when and why. A record a signed certification cites is kept as that
    certification read it: RecordLocked says which certification. A draft that cites it
    cannot be signed until that step is saved again without it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the record is withdrawn.")
    record = OutsideRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_withdrawn:
        raise ValidationError("The record is already withdrawn.")
    versions = citing_certifications(record)
    if versions:
        raise RecordLocked(
            f"This record cannot be withdrawn: MMI certification {' and '.join(versions)} of "
            "this case, signed, cites it, and it stays as it was when the certification was "
            "signed. A correction is made by amending the certification, which may leave this "
            "record out."
        )
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = by
    record.withdrawal_reason = reason[:500]
    record._change_reason = f"Withdrawn: {reason}"[:100]  # type: ignore[attr-defined]
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return record


def _read(upload: UploadedFile) -> bytes:
    # One byte past the limit is enough to tell a file too large, without reading it all.
    upload.seek(0)
    return upload.read(settings.OUTSIDE_RECORD_MAX_FILE_BYTES + 1)


def _stored(accepted: intake.Intake) -> StoredFile:
    """The stored file of this content, kept now if it is the first time it is sent."""
    existing = StoredFile.objects.filter(sha256=accepted.sha256).first()
    if existing is not None:
        return existing
    storage = storages["default"]
    name = storage.save(
        f"outside-records/{accepted.sha256[:2]}/{accepted.sha256}.pdf", ContentFile(accepted.pdf)
    )
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                sha256=accepted.sha256,
                file=name,
                size=len(accepted.pdf),
                page_count=accepted.page_count,
                received_type=accepted.received_type,
            )
    except IntegrityError:
        # Sent at the same moment by someone else: theirs is kept, this copy goes.
        storage.delete(name)
        return StoredFile.objects.get(sha256=accepted.sha256)
    # Its pages are read on the task queue once the upload is committed.
    transaction.on_commit(lambda: tasks.read_stored_file.delay(stored_file_id=stored.pk))
    return stored
