"""Migration 0027 gives every determination signed before it the fingerprint of what it
certifies, the one signing gives from then on, so verify_records has a reference for it."""

from datetime import UTC, date, datetime

import pytest

from cases.domain.fingerprints import fingerprint
from cases.models import Determination
from tests.support.migrations import case_maker, migrate

BEFORE = [("cases", "0026_signed_records_guarded")]
AFTER = [("cases", "0027_determination_fingerprint")]


@pytest.mark.django_db(transaction=True)
def test_determinations_signed_before_get_the_fingerprint_signing_gives():
    old = migrate(BEFORE)
    try:
        OldDetermination = old.get_model("cases", "Determination")
        Step = old.get_model("cases", "DeterminationStep")
        doctor, open_case = case_maker(old)
        case = open_case("TX-1", "TX", date_of_injury=date(2025, 1, 6))
        signed = OldDetermination.objects.create(
            case=case,
            version=1,
            status="signed",
            certifying_clinician=doctor,
            mmi_reached=True,
            mmi_date=date(2025, 9, 1),
            impairment_finding="rated",
            impairment_rating=8,
            signed_at=datetime(2025, 9, 2, 16, tzinfo=UTC),
        )
        Step.objects.create(
            determination=signed, slug="clinical", answers={"history": "A fall."}, saved_by=doctor
        )
        draft = OldDetermination.objects.create(
            case=case, version=2, certifying_clinician=doctor
        )
    finally:
        migrate(AFTER)

    migrated = Determination.objects.get(pk=signed.pk)
    assert migrated.fingerprint == fingerprint(migrated.certified_content(migrated.steps.all()))
    assert Determination.objects.get(pk=draft.pk).fingerprint == ""
