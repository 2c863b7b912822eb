"""What an uploaded file must be to become an outside medical record, and the PDF it is kept
as (docs/domain.md §13).

The type is read from the content, never from the name: a PDF, a JPEG, a PNG or a TIFF, and
nothing that is also something else (a PDF that a browser would read as HTML, or that is
also a ZIP archive). A PDF must open, must not be encrypted, and is kept without what could
run or hide in it: JavaScript, embedded files, launch and other actions that start on their
own. An image, a multi-page TIFF included, becomes one PDF of its pages. No Django here.
"""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

import filetype
import img2pdf
import pikepdf
from PIL import Image, ImageSequence

PDF = "application/pdf"
IMAGES = frozenset({"image/jpeg", "image/png", "image/tiff"})
ACCEPTED = "a PDF, JPEG, PNG or TIFF file"

# What makes a browser take a file for a web page: looked for anywhere in the raw bytes,
# since a polyglot may put it after the PDF header or in a comment.
_HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta)[\s>/]",
    re.IGNORECASE,
)
# Actions a reader would run on its own or that reach outside the document.
_DANGEROUS_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/Rendition"}
)


class Refused(Exception):
    """The file is not taken; the message says why, in words for the person who sent it."""


@dataclass(frozen=True)
class Intake:
    """A file accepted: the PDF to keep, its page count, and the SHA-256 of the file as it
    was sent (two uploads of the same file are the same file)."""

    pdf: bytes
    page_count: int
    sha256: str
    received_type: str  # the type read from the content


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def take(content: bytes, *, max_bytes: int) -> Intake:
    """The file as a clean PDF, or ``Refused`` with the reason."""
    if not content:
        raise Refused("The file is empty.")
    if len(content) > max_bytes:
        raise Refused(
            f"The file is {megabytes(len(content))}; the most a file may be is "
            f"{megabytes(max_bytes)}."
        )
    kind = filetype.guess(content)
    mime = kind.mime if kind is not None else None
    if mime != PDF and mime not in IMAGES:
        raise Refused(f"The file's content is not {ACCEPTED}, whatever its name says.")
    if _HTML_MARKERS.search(content):
        raise Refused("The file also holds a web page (HTML): it is refused as unsafe.")
    if _is_zip(content):
        raise Refused("The file is also a ZIP archive: it is refused as unsafe.")
    if mime == PDF:
        pdf, pages = _clean_pdf(content)
    else:
        pdf, pages = _images_to_pdf(content)
    return Intake(pdf=pdf, page_count=pages, sha256=sha256_of(content), received_type=mime)


def _is_zip(content: bytes) -> bool:
    # A ZIP is read from its end (its central directory), so one can follow any other file.
    try:
        return zipfile.is_zipfile(io.BytesIO(content))
    except (OSError, ValueError):
        return False


def _clean_pdf(content: bytes) -> tuple[bytes, int]:
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            if pdf.is_encrypted:
                raise Refused("The PDF is encrypted: save it without a password and send it again.")
            pages = len(pdf.pages)
            if pages == 0:
                raise Refused("The PDF has no page.")
            _strip_active_content(pdf)
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False)
    except pikepdf.PasswordError as error:
        raise Refused(
            "The PDF is encrypted: save it without a password and send it again."
        ) from error
    except pikepdf.PdfError as error:
        raise Refused("The PDF is damaged and cannot be opened.") from error
    return out.getvalue(), pages


def _strip_active_content(pdf: pikepdf.Pdf) -> None:
    """Removes JavaScript, embedded files and actions that run on opening or reach outside
    the document. Saving writes only the objects still reached, so what is cut off goes."""
    root = pdf.Root
    for key in ("/OpenAction", "/AA"):
        if key in root:
            del root[key]
    if "/Names" in root:
        names = root.Names
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    if "/AcroForm" in root and "/XFA" in root.AcroForm:
        del root.AcroForm["/XFA"]
    for page in pdf.pages:
        if "/AA" in page.obj:
            del page.obj["/AA"]
        if "/Annots" not in page.obj:
            continue
        kept = pikepdf.Array()
        for annotation in page.obj.Annots:
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            if annotation.get("/Subtype") == "/FileAttachment":
                continue
            if "/AA" in annotation:
                del annotation["/AA"]
            action = annotation.get("/A")
            if isinstance(action, pikepdf.Dictionary) and _is_dangerous(action):
                del annotation["/A"]
            kept.append(annotation)
        page.obj.Annots = pdf.make_indirect(kept)
    # Whatever is left that still names an action of those kinds (an outline item, a field)
    # loses it: the item stays, the action goes.
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary):
            for key in ("/A", "/AA", "/JS"):
                if key not in obj:
                    continue
                value = obj.get(key)
                if key != "/A" or (isinstance(value, pikepdf.Dictionary) and _is_dangerous(value)):
                    del obj[key]


def _is_dangerous(action: pikepdf.Dictionary) -> bool:
    return str(action.get("/S", "")) in _DANGEROUS_ACTIONS or "/JS" in action


def _images_to_pdf(content: bytes) -> tuple[bytes, int]:
    """Each frame (a TIFF's pages) decoded and encoded afresh, so nothing but the picture is
    kept, and put one to a page."""
    frames: list[bytes] = []
    try:
        with Image.open(io.BytesIO(content)) as image:
            for frame in ImageSequence.Iterator(image):
                frame.load()
                picture = frame.convert("L" if frame.mode in ("1", "L", "I;16") else "RGB")
                encoded = io.BytesIO()
                picture.save(encoded, format="PNG" if picture.mode == "L" else "JPEG", quality=90)
                frames.append(encoded.getvalue())
    except Image.DecompressionBombError as error:
        raise Refused("The image is too large to read safely.") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise Refused("The image is damaged and cannot be read.") from error
    if not frames:
        raise Refused("The image has no picture in it.")
    try:
        return img2pdf.convert(frames), len(frames)
    except ValueError as error:
        # A PDF page is 3 to 14,400 points a side: a picture of a few pixels (or one whose
        # resolution makes it longer than 200 inches) makes no page.
        raise Refused("The image is too small or too large to make a page of.") from error


def megabytes(size: int) -> str:
    """ "1.5 MB": a size as the pages say it."""
    return f"{size / (1024 * 1024):.1f} MB"
