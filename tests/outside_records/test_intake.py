"""What an uploaded file must be to become a record, with real files made in the test: the
type read from the content, the refusals, and the PDF kept without what could run in it."""

import io

import pikepdf
import pytest
from PIL import Image

from outside_records.intake import Refused, take
from tests.support.outside_records import (
    encrypted_pdf,
    image_bytes,
    pdf_and_html,
    pdf_and_zip,
    pdf_bytes,
    pdf_with_javascript_and_attachment,
    tiff_of_pages,
)

LIMIT = 10 * 1024 * 1024


def refusal(content: bytes, max_bytes: int = LIMIT) -> str:
    with pytest.raises(Refused) as refused:
        take(content, max_bytes=max_bytes)
    return str(refused.value)


def test_a_plain_pdf_is_kept_with_its_pages():
    accepted = take(pdf_bytes(3), max_bytes=LIMIT)
    assert accepted.page_count == 3
    assert accepted.received_type == "application/pdf"
    with pikepdf.open(io.BytesIO(accepted.pdf)) as pdf:
        assert len(pdf.pages) == 3


def test_an_empty_file_is_refused():
    assert refusal(b"") == "The file is empty."


def test_a_damaged_pdf_is_refused():
    assert "damaged" in refusal(b"%PDF-1.7\n" + b"\x00\xffnot objects at all" * 40)


def test_a_damaged_image_is_refused():
    assert "damaged" in refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


@pytest.mark.parametrize("size", [(1, 1), (2, 300)])
def test_an_image_too_small_for_a_page_is_refused(size):
    tiny = io.BytesIO()
    Image.new("L", size, 0).save(tiny, format="PNG")
    assert "too small or too large to make a page" in refusal(tiny.getvalue())


def test_an_encrypted_pdf_is_refused():
    assert "encrypted" in refusal(encrypted_pdf())


def test_a_pdf_encrypted_with_an_owner_password_only_is_refused():
    assert "encrypted" in refusal(encrypted_pdf(user_password=""))


def test_a_file_over_the_limit_is_refused_with_the_limit():
    message = refusal(pdf_bytes(), max_bytes=100)
    assert "the most a file may be is 0.0 MB" in message


def test_a_pdf_that_is_also_a_web_page_is_refused():
    assert "web page" in refusal(pdf_and_html())


def test_a_pdf_that_is_also_a_zip_is_refused():
    assert "ZIP" in refusal(pdf_and_zip())


@pytest.mark.parametrize(
    "content",
    [
        b"<!DOCTYPE html><html><body>report</body></html>",
        b"MZ\x90\x00 a program",
        b"just some words in a text file",
    ],
    ids=["html", "program", "text"],
)
def test_what_is_not_a_pdf_or_image_is_refused_whatever_its_name(content):
    assert "not a PDF, JPEG, PNG or TIFF" in refusal(content)


def test_javascript_embedded_files_and_launch_actions_are_stripped():
    original = pdf_with_javascript_and_attachment()
    assert b"app.alert" in original and b"calc.exe" in original
    kept = take(original, max_bytes=LIMIT).pdf
    assert b"app.alert" not in kept
    assert b"calc.exe" not in kept
    assert b"MZ not a real program" not in kept
    with pikepdf.open(io.BytesIO(kept)) as pdf:
        assert "/OpenAction" not in pdf.Root
        assert "/JavaScript" not in pdf.Root.get("/Names", {})
        assert len(pdf.attachments) == 0
        assert all("/JS" not in obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary))
        [link] = pdf.pages[0].obj.Annots
        assert "/A" not in link  # the link stays, its launch action goes


def test_a_multi_page_tiff_becomes_one_pdf_of_its_pages():
    accepted = take(tiff_of_pages(4), max_bytes=LIMIT)
    assert accepted.received_type == "image/tiff"
    assert accepted.page_count == 4
    with pikepdf.open(io.BytesIO(accepted.pdf)) as pdf:
        assert len(pdf.pages) == 4


@pytest.mark.parametrize(
    "kind,mode", [("JPEG", "RGB"), ("PNG", "RGBA"), ("PNG", "L"), ("PNG", "P")]
)
def test_an_image_becomes_a_one_page_pdf(kind, mode):
    accepted = take(image_bytes(kind, mode=mode, words="MRI"), max_bytes=LIMIT)
    assert accepted.page_count == 1
    assert accepted.pdf.startswith(b"%PDF")


def test_the_same_file_has_the_same_fingerprint():
    content = pdf_bytes(marker="same")
    assert take(content, max_bytes=LIMIT).sha256 == take(content, max_bytes=LIMIT).sha256
