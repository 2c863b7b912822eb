"""The data migrations keep what existing rows certified, walked in one trip on a database of
the test's own, from nothing to 0016, then forward (taking the test database back to 0016
and forward again took half a minute).

- 0017-0019: periods of disability from the first day recorded, statutory MMI at accrual +
  728 days, "permanent impairment of N %" for a rating and "no permanent impairment" for MMI
  certified without one, and a received date for each dispute already recorded.
- 0027: every determination signed before it gets the fingerprint of what it certifies, the
  one signing gives from then on, so verify_records has a reference for it.
"""

from datetime import UTC, date, datetime

import pytest

from cases.domain.fingerprints import fingerprint
from cases.models import Determination
from tests.support.migrations import case_maker, empty_database, migrate

BEFORE_0017 = [("cases", "0016_florida_maximum_compensation_rates")]
AFTER_0019 = [("cases", "0019_dispute_received_on_required")]
BEFORE_0027 = [("cases", "0026_signed_records_guarded")]
AFTER_0027 = [("cases", "0027_determination_fingerprint")]


@pytest.mark.django_db
def test_existing_rows_keep_what_they_certified_through_the_data_migrations():
    with empty_database():
        _periods_findings_and_received_dates()
        _fingerprints_of_determinations_signed_before()


def _periods_findings_and_received_dates():
    old = migrate(BEFORE_0017)
    Determination = old.get_model("cases", "Determination")
    Dispute = old.get_model("cases", "Dispute")
    doctor, open_case = case_maker(old)

    def case(claim, jurisdiction, began):
        return open_case(
            claim, jurisdiction, date_of_injury=date(1991, 9, 1), disability_began=began
        )

    texas = case("TX-1", "TX", date(1991, 9, 9))
    florida = case("FL-1", "FL", date(1991, 9, 9))
    never_off = case("TX-2", "TX", None)

    def signed_at_mmi(case, **rating):
        return Determination.objects.create(
            case=case,
            version=1,
            status="signed",
            certifying_clinician=doctor,
            mmi_reached=True,
            mmi_date=date(1993, 9, 13),
            signed_at=datetime(1993, 10, 1, 16, tzinfo=UTC),
            **rating,
        )

    rated = signed_at_mmi(texas, impairment_rating=0)
    unrated = signed_at_mmi(florida)
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
    new = migrate(AFTER_0019)

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


def _fingerprints_of_determinations_signed_before():
    old = migrate(BEFORE_0027)
    OldDetermination = old.get_model("cases", "Determination")
    Step = old.get_model("cases", "DeterminationStep")
    doctor, open_case = case_maker(old)
    case = open_case("TX-27", "TX", date_of_injury=date(2025, 1, 6))
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
    draft = OldDetermination.objects.create(case=case, version=2, certifying_clinician=doctor)
    migrate(AFTER_0027)

    migrated = Determination.objects.get(pk=signed.pk)
    assert migrated.fingerprint == fingerprint(migrated.certified_content(migrated.steps.all()))
    assert Determination.objects.get(pk=draft.pk).fingerprint == ""
