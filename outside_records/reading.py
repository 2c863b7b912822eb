"""Reading a record's pages: the PDF's own text where it has some, otherwise the words that
Tesseract recognises on the page's picture (a scan). Without Tesseract on the machine the
scanned pages stay unread, and the pages say so. No Django here."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader

# Fewer characters than this on a page: a scan (or a blank page), to be recognised.
MIN_OWN_TEXT = 20
OCR_DPI = 300
THUMBNAIL_DPI = 30
_TIMEOUT_SECONDS = 120


def tesseract_available() -> bool:
    """Whether scans can be read here: Tesseract, and pdftoppm to draw the pages it reads."""
    return shutil.which("tesseract") is not None and pictures_available()


def pictures_available() -> bool:
    """Whether pages can be drawn here (poppler's pdftoppm)."""
    return shutil.which("pdftoppm") is not None


def own_text(reader: PdfReader, number: int) -> str:
    """The text the PDF itself holds on page ``number`` (from 1)."""
    try:
        return reader.pages[number - 1].extract_text() or ""
    except Exception:  # noqa: BLE001 - a page pypdf cannot read is a page to recognise
        return ""


def page_picture(pdf_path: Path, number: int, *, dpi: int) -> bytes:
    """Page ``number`` (from 1) as a PNG, drawn by poppler's pdftoppm."""
    with tempfile.TemporaryDirectory() as work:
        stem = Path(work) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-singlefile",
                "-r",
                str(dpi),
                "-f",
                str(number),
                "-l",
                str(number),
                str(pdf_path),
                str(stem),
            ],
            check=True,
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
        )
        return stem.with_suffix(".png").read_bytes()


def recognised_text(pdf_path: Path, number: int) -> str:
    """The words Tesseract recognises on page ``number`` (from 1)."""
    with tempfile.TemporaryDirectory() as work:
        picture = Path(work) / "page.png"
        picture.write_bytes(page_picture(pdf_path, number, dpi=OCR_DPI))
        done = subprocess.run(
            ["tesseract", str(picture), "stdout"],
            check=True,
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
        )
        return done.stdout.decode("utf-8", errors="replace")
