"""Reading outside records on the task queue: each page's text kept as it is read, so the
record's page shows how far a long scan has got (pages read / pages)."""

import tempfile
from pathlib import Path

from celery import shared_task
from django.core.files.storage import storages
from pypdf import PdfReader

from . import reading
from .models import Reading, RecordPage, StoredFile


@shared_task
def read_stored_file(*, stored_file_id: int) -> None:
    """Reads the pages not yet read: the PDF's own text, otherwise OCR when Tesseract is
    installed; a page neither gives is counted as an unread scan."""
    stored = StoredFile.objects.filter(pk=stored_file_id).first()
    if stored is None or stored.reading == Reading.READ:
        return
    StoredFile.objects.filter(pk=stored.pk).update(reading=Reading.READING)
    ocr = reading.tesseract_available()
    storage = storages["default"]
    try:
        path, copied = Path(storage.path(stored.file.name)), False
    except NotImplementedError:
        path, copied = _local_copy(stored), True
    try:
        reader = PdfReader(str(path))
        unread = stored.scans_unread
        for number in range(stored.pages_read + 1, stored.page_count + 1):
            text = reading.own_text(reader, number)
            recognised = False
            if len(text.strip()) < reading.MIN_OWN_TEXT:
                if ocr:
                    text, recognised = reading.recognised_text(path, number), True
                else:
                    unread += 1
            RecordPage.objects.update_or_create(
                stored_file=stored,
                number=number,
                defaults={"text": text.replace("\x00", ""), "recognised": recognised},
            )
            StoredFile.objects.filter(pk=stored.pk).update(pages_read=number, scans_unread=unread)
    except Exception:
        StoredFile.objects.filter(pk=stored.pk).update(reading=Reading.FAILED)
        raise
    finally:
        if copied:
            path.unlink(missing_ok=True)
    StoredFile.objects.filter(pk=stored.pk).update(reading=Reading.READ)


def _local_copy(stored: StoredFile) -> Path:
    """A storage without local paths (S3): the file copied to a temporary file to read."""
    with (
        stored.file.open("rb") as source,
        tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as copy,
    ):
        copy.write(source.read())
    return Path(copy.name)
