"""A clinician's practice details."""

from django.db import transaction

from ..models import User

PRACTICE_FIELDS = (
    "facility_name",
    "office_street",
    "office_city",
    "office_state",
    "office_zip",
    "office_phone",
    "office_fax",
)


@transaction.atomic
def user_practice_save(*, user: User, **details: str) -> User:
    """Save where the clinician practises (the forms they sign print it from now on; forms
    already issued keep what they printed)."""
    unknown = set(details) - set(PRACTICE_FIELDS)
    if unknown:
        raise TypeError(f"Not practice details: {sorted(unknown)}")
    for name, value in details.items():
        setattr(user, name, value.strip())
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in details])
    user.save(update_fields=list(details))
    return user
