"""Migration 0027 gives every determination signed before it the fingerprint of what it
certifies, the one signing gives from then on, so verify_records has a reference for it."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.domain.fingerprints import fingerprint
from cases.models import Determination

BEFORE = [("cases", "0026_signed_records_guarded")]
AFTER = [("cases", "0027_determination_fingerprint")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_schema_after(transactional_db):
    """Every migration applied again before the database is emptied for the next test."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_determinations_signed_before_get_the_fingerprint_signing_gives():
    old = migrate(BEFORE)
    try:
        User = old.get_model("cases", "User")
        Organisation = old.get_model("cases", "Organisation")
        Patient = old.get_model("cases", "Patient")
        Case = old.get_model("cases", "Case")
        OldDetermination = old.get_model("cases", "Determination")
        Step = old.get_model("cases", "DeterminationStep")

        doctor = User.objects.create(username="doc", role="clinician")
        employer = Organisation.objects.create(name="E", kind="employer")
        insurer = Organisation.objects.create(name="I", kind="insurer")
        patient = Patient.objects.create(
            first_name="A", last_name="B", date_of_birth=date(1980, 1, 1)
        )
        case = Case.objects.create(
            patient=patient,
            claim_number="TX-1",
            jurisdiction="TX",
            date_of_injury=date(2025, 1, 6),
            body_part="lower_back",
            employer=employer,
            insurer=insurer,
            case_manager=doctor,
        )
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
