"""Reading back an issued Texas form: its page text, its signature, a demo certification."""

import subprocess

from cases.models import Determination
from cases.reports.official.signing import SignatureCheck, authority_load, pdf_signature_check


def page_text(pdf: bytes) -> str:
    """The PDF's text as pdftotext (poppler) reads it."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def check(pdf: bytes, settings) -> SignatureCheck:
    """The PDF's signature, validated against the installation's signing authority."""
    return pdf_signature_check(
        pdf, authority_certificate=authority_load(settings.SIGNING_CA_DIR).certificate
    )


def texan_certification(claim_number: str) -> Determination:
    return Determination.objects.signed().get(case__claim_number=claim_number)
