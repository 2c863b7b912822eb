"""A document is signed whatever thread asks: pyHanko's synchronous API starts an event loop
of its own, which an async caller's thread already runs."""

import asyncio
import io

from pypdf import PdfWriter

from cases.reports.official.signing import Signer, authority_create, pdf_sign, pdf_signature_check


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_document_is_signed_from_inside_a_running_event_loop(tmp_path):
    authority = authority_create(tmp_path, common_name="Test authority")

    async def asked_by_an_async_caller() -> bytes:
        return pdf_sign(
            blank_pdf(),
            signer=Signer(name="Emily Chen", reason="Certified by Emily Chen"),
            field_name="Signature",
            new_field_box=(0, (72, 72, 272, 122)),
            authority=authority,
        )

    signed = asyncio.run(asked_by_an_async_caller())

    check = pdf_signature_check(signed, authority_certificate=authority.certificate)
    assert check.passes
    assert check.signer_name == "Emily Chen"
