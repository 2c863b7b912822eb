"""The data migration keeps what existing rows certified: periods of disability from the
first day recorded, statutory MMI at accrual + 728 days, "permanent impairment of N %" for a
rating and "no permanent impairment" for MMI certified without one, and a received date
for each dispute already recorded."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0016_florida_maximum_compensation_rates")]
AFTER = [("cases", "0019_dispute_received_on_required")]


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
def test_existing_rows_keep_what_was_certified():
    old = migrate(BEFORE)
    try:
        User = old.get_model("cases", "User")
        Organisation = old.get_model("cases", "Organisation")
        Patient = old.get_model("cases", "Patient")
        Case = old.get_model("cases", "Case")
        Determination = old.get_model("cases", "Determination")
        Dispute = old.get_model("cases", "Dispute")

        doctor = User.objects.create(username="doc", role="clinician")
        employer = Organisation.objects.create(name="E", kind="employer")
        insurer = Organisation.objects.create(name="I", kind="insurer")
        patient = Patient.objects.create(
            first_name="A", last_name="B", date_of_birth=date(1980, 1, 1)
        )

        def case(claim, jurisdiction, began):
            return Case.objects.create(
                patient=patient,
                claim_number=claim,
                jurisdiction=jurisdiction,
                date_of_injury=date(1991, 9, 1),
                disability_began=began,
                body_part="lower_back",
                employer=employer,
                insurer=insurer,
                case_manager=doctor,
            )

        texas = case("TX-1", "TX", date(1991, 9, 9))
        florida = case("FL-1", "FL", date(1991, 9, 9))
        never_off = case("TX-2", "TX", None)
        signed_at = datetime(1993, 10, 1, 16, tzinfo=UTC)
        rated = Determination.objects.create(
            case=texas,
            version=1,
            status="signed",
            certifying_clinician=doctor,
            mmi_reached=True,
            mmi_date=date(1993, 9, 13),
            impairment_rating=0,
            signed_at=signed_at,
        )
        unrated = Determination.objects.create(
            case=florida,
            version=1,
            status="signed",
            certifying_clinician=doctor,
            mmi_reached=True,
            mmi_date=date(1993, 9, 13),
            signed_at=signed_at,
        )
        not_at_mmi = Determination.objects.create(
            case=never_off, version=1, certifying_clinician=doctor, mmi_reached=False
        )
        dispute = Dispute.objects.create(
            case=texas,
            determination=rated,
            disputed_by="carrier",
            notice_date=date(1993, 10, 2),
            review_requested="ime",
            recorded_by=doctor,
        )
    finally:
        new = migrate(AFTER)

    Case = new.get_model("cases", "Case")
    Determination = new.get_model("cases", "Determination")
    Dispute = new.get_model("cases", "Dispute")
    DisabilityPeriod = new.get_model("cases", "DisabilityPeriod")

    periods = DisabilityPeriod.objects.order_by("case__claim_number")
    assert list(periods.values_list("case__claim_number", "began", "ended")) == [
        ("FL-1", date(1991, 9, 9), None),
        ("TX-1", date(1991, 9, 9), None),
    ]
    # Appeals Panel Decision 950311: accrual 16 Sep 1991 → statutory MMI 13 Sep 1993.
    assert Case.objects.get(pk=texas.pk).statutory_mmi_date == date(1993, 9, 13)
    assert Case.objects.get(pk=florida.pk).statutory_mmi_date is None
    assert Case.objects.get(pk=never_off.pk).statutory_mmi_date is None

    assert Determination.objects.get(pk=rated.pk).impairment_finding == "rated"
    assert Determination.objects.get(pk=rated.pk).impairment_rating == 0
    assert Determination.objects.get(pk=unrated.pk).impairment_finding == "none"
    assert Determination.objects.get(pk=not_at_mmi.pk).impairment_finding == ""
    recorded = Dispute.objects.get(pk=dispute.pk)
    assert recorded.received_on >= recorded.notice_date
