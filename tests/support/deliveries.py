"""Deliveries for the tests that need one ready: a signed certification with its
distribution list, and a delivery with a proof."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case, Determination, User
from deliveries.services import certification_recipients_list, delivery_record
from tests.support.cast import Cast
from tests.support.reports import determination


def listed_certification(case: Case, clinician: User) -> Determination:
    """A certification of the case, signed today, with its distribution list."""
    signed = determination(case, clinician)
    certification_recipients_list(determination=signed)
    return signed


def case_with_listed_certification(cast: Cast) -> dict:
    """The case, with a listed certification kept on ``cast.listed``."""
    cast.listed = listed_certification(cast.case, cast.clinician)  # type: ignore[attr-defined]
    return {"case_id": cast.case.pk}


def faxed_with_proof(cast: Cast) -> dict:
    """A fax to the carrier of the case's certification, with its confirmation as proof."""
    signed = listed_certification(cast.case, cast.clinician)
    delivery = delivery_record(
        recipient=signed.recipients.get(party="carrier"),
        method="fax",
        address="512-555-0100",
        delivered_on=timezone.localdate(),
        recorded_by=cast.case_manager,
        proof=SimpleUploadedFile("confirmation.pdf", b"%PDF-1.4\nsent\n%%EOF"),
    )
    return {"delivery_id": delivery.pk}
