"""Putting an employer, an insurer or an adjuster on file from the case form, so that
opening a case never needs the Django admin."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ..models import Organisation, Role, User


@dataclass(frozen=True)
class NewOrganisation:
    name: str
    phone: str = ""
    fax: str = ""  # or an email address (the DWC073's "Fax # or E-mail Address")


@dataclass(frozen=True)
class NewAdjuster:
    first_name: str
    last_name: str
    email: str


@transaction.atomic
def organisation_add(
    *, kind: Organisation.Kind, name: str, phone: str = "", fax: str = ""
) -> Organisation:
    """Put an employer or an insurer on file, or give back the one of that kind already on
    file under this name (letter case and spaces around it aside): one company, one row.
    Refusals are filed under the kind ("employer", "insurer"), the case field it was for."""
    name = " ".join(name.split())
    on_file = Organisation.objects.filter(kind=kind, name__iexact=name).first()
    if on_file is not None:
        return on_file
    organisation = Organisation(kind=kind, name=name, phone=phone.strip(), fax=fax.strip())
    try:
        organisation.full_clean()
    except ValidationError as error:
        # Refused under the party it was to be: "employer" or "insurer".
        raise ValidationError({str(kind): error.messages}) from None
    organisation.save()
    return organisation


@transaction.atomic
def adjuster_add(*, insurer: Organisation, first_name: str, last_name: str, email: str) -> User:
    """Give an insurer an adjuster who can be assigned to its cases at once, signed in by
    their email address. Their password is random and told to nobody: they choose their own
    through "Forgot your password?". The insurer's adjuster already on file with this email
    address is given back; an address someone else uses is refused. Refusals are filed
    under "adjuster", the case field the adjuster was for."""
    email = User.objects.normalize_email(email.strip()).lower()
    on_file = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
    adjuster = on_file.filter(role=Role.ADJUSTER, organisation=insurer).first()
    if adjuster is not None:
        return adjuster
    if on_file.exists():
        raise ValidationError(
            {"adjuster": f"Someone on file who is not an adjuster of {insurer} uses {email}."}
        )
    adjuster = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role.ADJUSTER,
        organisation=insurer,
    )
    adjuster.set_password(secrets.token_urlsafe(32))
    try:
        adjuster.full_clean()
    except ValidationError as error:
        raise ValidationError({"adjuster": error.messages}) from None
    adjuster.save()
    return adjuster


@transaction.atomic
def case_parties_add(
    *,
    employer: NewOrganisation | None = None,
    insurer: NewOrganisation | None = None,
    adjuster: NewAdjuster | None = None,
    adjusters_insurer: Organisation | None = None,
) -> dict[str, Organisation | User]:
    """Put on file the parties of a case typed on its form, as the case fields they fill
    (``{"employer": …, "insurer": …, "adjuster": …}``, those given only). A new adjuster
    works for the new insurer, else for ``adjusters_insurer`` (the one picked)."""
    added: dict[str, Organisation | User] = {}
    if employer is not None:
        added["employer"] = organisation_add(
            kind=Organisation.Kind.EMPLOYER,
            name=employer.name,
            phone=employer.phone,
            fax=employer.fax,
        )
    if insurer is not None:
        added["insurer"] = organisation_add(
            kind=Organisation.Kind.INSURER, name=insurer.name, phone=insurer.phone, fax=insurer.fax
        )
    if adjuster is not None:
        works_for = added.get("insurer", adjusters_insurer)
        if not isinstance(works_for, Organisation):
            raise ValidationError({"adjuster": "Pick or add the insurer the adjuster works for."})
        added["adjuster"] = adjuster_add(
            insurer=works_for,
            first_name=adjuster.first_name,
            last_name=adjuster.last_name,
            email=adjuster.email,
        )
    return added
