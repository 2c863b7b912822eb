"""Real files for the outside records tests, made here: PDFs (plain, with JavaScript and an
embedded file, encrypted, polyglot), images and TIFFs, and records made through the service."""

import io
import zipfile
from datetime import date

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from cases.models import Case, User
from outside_records import services
from outside_records.models import OutsideRecord


def pdf_bytes(pages: int = 1, *, marker: str = "") -> bytes:
    """A plain PDF of blank pages; ``marker`` goes in its metadata, so that two PDFs of the
    same pages are two different files."""
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
    if marker:
        pdf.docinfo["/Title"] = marker
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_with_javascript_and_attachment() -> bytes:
    """A PDF that runs JavaScript on opening, names a script, launches a program from a
    link, and carries an embedded file."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('opened')"))
    pdf.Root.OpenAction = pdf.make_indirect(script)
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(
            Names=pikepdf.Array(
                [
                    pikepdf.String("startup"),
                    pdf.make_indirect(
                        pikepdf.Dictionary(
                            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('named')")
                        )
                    ),
                ]
            )
        )
    )
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not a real program")
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def encrypted_pdf(*, user_password: str = "secret") -> bytes:
    pdf = pikepdf.open(io.BytesIO(pdf_bytes()))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="owner-pass", user=user_password))
    return out.getvalue()


def pdf_and_html() -> bytes:
    """A PDF that a browser sniffing for a page would read as HTML."""
    return pdf_bytes().replace(b"\n", b"\n%<html><body><script>alert(1)</script>\n", 1)


def pdf_and_zip() -> bytes:
    """A PDF followed by a ZIP archive: both readers take it."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("hidden.txt", "not a record")
    return pdf_bytes() + archive.getvalue()


def image_bytes(kind: str = "PNG", *, words: str = "", mode: str = "RGB") -> bytes:
    image = Image.new(mode, (400, 300), "white")
    if words:
        ImageDraw.Draw(image).text((20, 20), words, fill="black")
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def tiff_of_pages(pages: int) -> bytes:
    frames = [Image.new("L", (200, 260), 255 - 20 * page) for page in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def record_on(
    case: Case,
    by: User,
    *,
    content: bytes | None = None,
    name: str = "mri-lumbar.pdf",
    document_type: str = OutsideRecord.DocumentType.IMAGING,
    clinical_only: bool = False,
    received_on: date | None = None,
) -> OutsideRecord:
    """A record of the case, added through the service as a person would."""
    [record] = services.records_upload(
        case=case,
        files=[upload(name, content if content is not None else pdf_bytes(marker=name))],
        details=services.RecordDetails(
            document_type=document_type,
            received_on=received_on or timezone.localdate(),
            received_from="Lone Star Mutual",
            author="Austin Imaging Center",
            clinical_only=clinical_only,
        ),
        by=by,
    )
    return record


def pdf_with_text(words: str, pages: int = 1) -> bytes:
    """A PDF whose pages each hold ``words`` as text of their own, not as a picture: read
    without OCR."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    for _ in range(pages):
        pdf.add_blank_page(page_size=(612, 792))
        page = pdf.pages[-1]
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(f"BT /F1 18 Tf 72 700 Td ({words}) Tj ET".encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def scanned_page(words: str) -> bytes:
    """A scan: a picture of ``words`` in large black letters on white, and no text."""
    from PIL import ImageFont

    image = Image.new("L", (1700, 500), 255)
    ImageDraw.Draw(image).text((60, 180), words, fill=0, font=ImageFont.load_default(size=90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def refused_files() -> list:
    """Files an upload refuses, each with the words its refusal gives: empty, damaged,
    encrypted, both polyglots and a web page named as a PDF (pytest parameters)."""
    return [
        pytest.param("empty.pdf", b"", "The file is empty.", id="empty"),
        pytest.param(
            "broken.pdf", b"%PDF-1.7\n" + b"\x00\xffno objects" * 40, "damaged", id="corrupt"
        ),
        pytest.param("locked.pdf", encrypted_pdf(), "encrypted", id="encrypted"),
        pytest.param("page.pdf", pdf_and_html(), "web page", id="polyglot-html"),
        pytest.param("archive.pdf", pdf_and_zip(), "ZIP archive", id="polyglot-zip"),
        pytest.param(
            "report.pdf",
            b"<!DOCTYPE html><html><body>MRI</body></html>",
            "not a PDF, JPEG",
            id="mislabelled",
        ),
    ]
