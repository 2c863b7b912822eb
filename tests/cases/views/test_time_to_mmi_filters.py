"""Time to MMI filtered by jurisdiction, body part and when the cases reached MMI."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from tests.support.cast import client_for
from tests.support.factories import CaseFactory

pytestmark = pytest.mark.usefixtures("module_cast")

INJURED = timezone.localdate() - timedelta(days=300)


def at_mmi(claim, days, *, body_part="knee", jurisdiction="TX", **fields) -> Case:
    return CaseFactory(
        claim_number=claim,
        body_part=body_part,
        jurisdiction=jurisdiction,
        diagnosis_codes="S83.511A",
        date_of_injury=INJURED,
        mmi_date=INJURED + timedelta(days=days),
        **fields,
    )


def statistics(user, **params):
    response = client_for(user).get(reverse("time-to-mmi"), params)
    assert response.status_code == 200
    return response.context["statistics"], response.content.decode()


def counts(found) -> dict[str, int]:
    return {spread.label: spread.count for spread in found.by_body_part}


def test_the_jurisdiction_filter_counts_that_state_only(cast):
    insurer = cast.case.insurer
    at_mmi("TX-1", 100, insurer=insurer)
    at_mmi("FL-1", 150, jurisdiction="FL", insurer=insurer)
    found, page = statistics(cast.adjuster, jurisdiction="FL")
    assert counts(found) == {"Knee": 1}
    assert "over the 1 case at MMI that match these filters" in page


def test_the_body_part_filter_counts_that_part_only(cast):
    insurer = cast.case.insurer
    at_mmi("K-1", 100, insurer=insurer)
    at_mmi("N-1", 80, body_part="neck", insurer=insurer)
    found, _ = statistics(cast.adjuster, body_part="neck")
    assert counts(found) == {"Neck": 1}


def test_the_dates_pick_the_cases_that_reached_mmi_between_them(cast):
    insurer = cast.case.insurer
    at_mmi("EARLY", 50, insurer=insurer)
    at_mmi("LATE", 250, insurer=insurer)
    found, page = statistics(
        cast.adjuster,
        mmi_after=str(INJURED + timedelta(days=200)),
        mmi_before=str(INJURED + timedelta(days=260)),
    )
    assert counts(found) == {"Knee": 1}
    assert [s.maximum for s in found.by_body_part] == [250]
    assert "Reached MMI between" in page


def test_filters_never_reach_another_insurers_cases(cast):
    at_mmi("THEIRS", 100, jurisdiction="FL")  # another insurer's
    found, page = statistics(cast.adjuster, jurisdiction="FL")
    assert counts(found) == {}
    assert "No case at MMI matches these filters." in page
    assert "clear the filters" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"mmi_after": "2026-05-01", "mmi_before": "2026-01-01"}, "The first date is after"),
        ({"mmi_after": "not a day"}, "Enter a valid date"),
        ({"jurisdiction": "ZZ"}, "Select a valid choice"),
    ],
)
def test_a_filter_refused_says_why(cast, params, message):
    response = client_for(cast.case_manager).get(reverse("time-to-mmi"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_filtered_or_not_the_page_makes_the_same_queries_whatever_the_size(cast):
    client = client_for(cast.admin)
    filtered = {"jurisdiction": "TX", "body_part": "knee", "mmi_after": str(INJURED)}

    def queries(params) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("time-to-mmi"), params).status_code == 200
        return len(context.captured_queries)

    at_mmi("S-0", 50)
    small = queries({}), queries(filtered)
    for n in range(1, 15):
        at_mmi(f"S-{n}", 50 + n, body_part="neck" if n % 2 else "knee")
    assert (queries({}), queries(filtered)) == small


def test_the_filters_fold_behind_their_button_on_a_phone(cast):
    _, page = statistics(cast.case_manager)
    assert '<details class="case-filters-fold filters-fold mb-3" open>' in page
    assert "js/filters-fold" in page
