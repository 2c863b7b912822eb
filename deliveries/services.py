"""Writes of deliveries (docs/domain.md §10): the distribution list of an issued document,
each delivery recorded (by hand, or by itself at a party's first portal download) and each
withdrawn. Keyword-only, in one transaction, refusing with ``ValidationError`` by field."""

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.access import works_for_carrier
from cases.models import Case, Determination, IssuedReport, User, WorkStatus
from cases.templatetags.dates import day

from .domain.distribution import distribution_for
from .domain.parties import Document, Party
from .models import Delivery, DeliveryWithdrawal, Recipient

# A proof of delivery is a fax confirmation, a mail receipt or a photo of one: a few pages.
PROOF_MAX_BYTES = 5 * 1024 * 1024
# The proofs accepted, by what their first bytes say they are (never by name or by the
# type the browser claims): content type and file extension.
PROOF_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


def _party_name(party: Party, case: Case) -> str:
    if party == Party.CARRIER:
        return case.insurer.name
    if party == Party.EMPLOYER:
        return case.employer.name
    if party == Party.EMPLOYEE:
        return str(case.patient)
    if party == Party.REPRESENTATIVE:
        return case.representative_name
    return ""


def _list(
    case: Case, document: Document, parties: tuple[Party, ...], **subject: object
) -> list[Recipient]:
    existing = {recipient.party: recipient for recipient in Recipient.objects.filter(**subject)}
    now = timezone.now()
    for party in parties:
        if party not in existing:
            existing[party] = Recipient.objects.create(
                case=case,
                document=document,
                party=party,
                name=_party_name(party, case),
                listed_at=now,
                **subject,
            )
    return [existing[party] for party in parties]


@transaction.atomic
def certification_recipients_list(*, determination: Determination) -> list[Recipient]:
    """The distribution list of a signed certification (each version, an amendment
    included, has its own), by its jurisdiction's rule; made once, when it is signed, and
    returned as it stands when asked again."""
    locked = (
        Determination.objects.select_for_update(of=("self",))
        .select_related("case__patient", "case__employer", "case__insurer")
        .get(pk=determination.pk)
    )
    if locked.is_draft:
        raise ValidationError("A draft is not issued: it has no distribution list.")
    rule = distribution_for(locked.jurisdiction or locked.case.jurisdiction)
    parties = rule.recipients(
        Document.CERTIFICATION,
        certifier_role=locked.certifier_role,
        represented=bool(locked.case.representative_name),
    )
    return _list(locked.case, Document.CERTIFICATION, parties, determination=locked)


@transaction.atomic
def work_status_recipients_list(*, work_status: WorkStatus) -> list[Recipient]:
    """The distribution list of a work status, by its case's jurisdiction's rule; made once,
    when it is issued."""
    locked = (
        WorkStatus.objects.select_for_update(of=("self",))
        .select_related("case__patient", "case__employer", "case__insurer")
        .get(pk=work_status.pk)
    )
    parties = distribution_for(locked.case.jurisdiction).recipients(Document.WORK_STATUS)
    return _list(locked.case, Document.WORK_STATUS, parties, work_status=locked)


def issued_on(recipient: Recipient) -> date:
    """The day the recipient's document was issued: the certification's signing, the work
    status's recording, in the app's time zone."""
    if recipient.determination is not None:
        signed_at = recipient.determination.signed_at
        assert signed_at is not None  # a list is made only for a signed certification
        return timezone.localdate(signed_at)
    assert recipient.work_status is not None
    return timezone.localdate(recipient.work_status.created_at)


def _proof_checked(proof: UploadedFile) -> tuple[bytes, str, str]:
    if proof.size is not None and proof.size > PROOF_MAX_BYTES:
        raise ValidationError({"proof": "The proof is larger than 5 MB."})
    content = proof.read(PROOF_MAX_BYTES + 1)
    if len(content) > PROOF_MAX_BYTES:
        raise ValidationError({"proof": "The proof is larger than 5 MB."})
    for signature, content_type, extension in PROOF_SIGNATURES:
        if content.startswith(signature):
            return content, content_type, extension
    raise ValidationError({"proof": "The proof must be a PDF, PNG or JPEG file."})


@transaction.atomic
def delivery_record(
    *,
    recipient: Recipient,
    method: str,
    delivered_on: date,
    recorded_by: User,
    address: str = "",
    proof: UploadedFile | None = None,
) -> Delivery:
    """Record a copy handed to one recipient of an issued document: by fax, e-mail, mail
    or hand (a portal delivery records itself, ``portal_download_record``), on which day,
    to which number or address, with an optional proof (a PDF, PNG or JPEG of at most
    5 MB, recognised by its content). Refused: a day before the document was issued or
    after today, a method that is not one of those, a fax, e-mail or mail with no address,
    a proof of another kind or too large."""
    recipient = Recipient.objects.select_related("determination", "work_status").get(
        pk=recipient.pk
    )
    errors: dict[str, str] = {}
    if method == Delivery.Method.PORTAL:
        errors["method"] = (
            "A portal delivery is recorded by itself when the party first downloads the copy."
        )
    elif method not in Delivery.Method.values:
        errors["method"] = "Choose how the copy was delivered."
    address = address.strip()
    if method in {Delivery.Method.FAX, Delivery.Method.EMAIL, Delivery.Method.MAIL} and not (
        address
    ):
        errors["address"] = "Give the fax number, e-mail address or postal address it went to."
    issued = issued_on(recipient)
    if delivered_on > timezone.localdate():
        errors["delivered_on"] = "A delivery cannot be dated in the future."
    elif delivered_on < issued:
        errors["delivered_on"] = (
            f"A delivery cannot come before the document was issued ({day(issued)})."
        )
    checked = None
    if proof is not None:
        try:
            checked = _proof_checked(proof)
        except ValidationError as error:
            errors.update({name: messages[0] for name, messages in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    delivery = Delivery(
        case_id=recipient.case_id,
        recipient=recipient,
        method=method,
        delivered_on=delivered_on,
        address=address,
        recorded_by=recorded_by,
        recorded_at=timezone.now(),
    )
    if checked is not None:
        content, content_type, extension = checked
        sha256 = hashlib.sha256(content).hexdigest()
        delivery.proof.save(f"proof-{sha256[:16]}.{extension}", ContentFile(content), save=False)
        delivery.proof_content_type = content_type
        delivery.proof_sha256 = sha256
    delivery.full_clean()
    delivery.save()
    return delivery


@transaction.atomic
def delivery_withdraw(*, delivery: Delivery, reason: str, withdrawn_by: User) -> DeliveryWithdrawal:
    """Withdraw a delivery recorded in error, with the reason: it no longer counts for the
    party's window and stays in the history. A delivery is withdrawn once."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why this delivery is withdrawn."})
    locked = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if DeliveryWithdrawal.objects.filter(delivery=locked).exists():
        raise ValidationError({"reason": "This delivery is already withdrawn."})
    return DeliveryWithdrawal.objects.create(
        delivery=locked, reason=reason, withdrawn_by=withdrawn_by, withdrawn_at=timezone.now()
    )


def _portal_recipient(report: IssuedReport, user: User) -> Recipient | None:
    """The carrier's place on the list of the document this issued copy is, when ``user``
    works for the case's carrier: a signed certification's signed copy, or the work status
    report, which shows the case's current work status."""
    case = report.case
    if not works_for_carrier(user, case):
        return None
    recipients = Recipient.objects.filter(party=Party.CARRIER)
    if report.kind == IssuedReport.Kind.CERTIFICATION:
        if report.determination_status != Determination.Status.SIGNED:
            return None
        return recipients.filter(determination_id=report.determination_id).first()
    if report.kind == IssuedReport.Kind.WORK_STATUS:
        current = (
            WorkStatus.objects.filter(case_id=report.case_id, created_at__lte=report.issued_at)
            .order_by("-effective_from", "-pk")
            .values("pk")[:1]
        )
        return recipients.filter(work_status__in=current).first()
    return None


def portal_download_record(*, report: IssuedReport, user: User) -> Delivery | None:
    """The portal delivery a download makes: the first time a user of a party on the list
    (an adjuster of the case's carrier) downloads the issued copy, the carrier's delivery is
    recorded, dated today, by that user; later downloads record nothing. None when nothing
    was recorded."""
    recipient = _portal_recipient(report, user)
    if recipient is None or recipient.deliveries.filter(method=Delivery.Method.PORTAL).exists():
        return None
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                case_id=recipient.case_id,
                recipient=recipient,
                method=Delivery.Method.PORTAL,
                delivered_on=timezone.localdate(),
                recorded_by=user,
                recorded_at=timezone.now(),
            )
    except IntegrityError:  # another download recorded it first
        return None
