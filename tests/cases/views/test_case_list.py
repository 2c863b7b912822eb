"""The case list: filters, search, sort, pages, the CSV export and the time-to-MMI page."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus, Determination, DisabilityPeriod, Dispute, Patient
from cases.templatetags.dates import day
from cases.views.case_list_csv import neutralise
from tests.support.cast import client_for
from tests.support.determinations import signed_determination
from tests.support.factories import (
    AdministratorFactory,
    CaseFactory,
    CaseManagerFactory,
    ClinicianFactory,
    OrganisationFactory,
    PatientFactory,
)


@pytest.fixture
def manager(db):
    return CaseManagerFactory(first_name="Karen", last_name="Jones")


def listed(client, **params) -> list[str]:
    response = client.get(reverse("case-list"), params)
    assert response.status_code == 200
    return [case.claim_number for case in response.context["page"].object_list]


def exported(client, **params) -> list[list[str]]:
    response = client.get(reverse("case-list-csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


# Filters and search


def test_filters_narrow_the_list(manager):
    insurer = OrganisationFactory(name="Gulf Coast Casualty")
    CaseFactory(
        claim_number="KNEE-TX",
        case_manager=manager,
        body_part="knee",
        insurer=insurer,
        date_of_injury=date(2025, 6, 1),
    )
    CaseFactory(
        claim_number="BACK-FL",
        case_manager=manager,
        jurisdiction="FL",
        date_of_injury=date(2024, 1, 10),
    )
    client = client_for(manager)
    assert listed(client, body_part="knee") == ["KNEE-TX"]
    assert listed(client, jurisdiction="FL") == ["BACK-FL"]
    assert listed(client, insurer=insurer.pk) == ["KNEE-TX"]
    assert listed(client, injured_after="2025-01-01") == ["KNEE-TX"]
    assert listed(client, injured_before="2024-12-31") == ["BACK-FL"]
    assert listed(client, status=CaseStatus.OPEN, sort="claim") == ["BACK-FL", "KNEE-TX"]
    assert listed(client, status=CaseStatus.CLOSED) == []


def test_mmi_date_range_filters_on_the_signed_mmi_date(manager):
    CaseFactory(claim_number="MMI-MAY", case_manager=manager, mmi_date=date(2025, 5, 20))
    CaseFactory(claim_number="MMI-JULY", case_manager=manager, mmi_date=date(2025, 7, 2))
    CaseFactory(claim_number="NOT-YET", case_manager=manager)
    client = client_for(manager)
    assert listed(client, mmi_after="2025-05-01", mmi_before="2025-05-31") == ["MMI-MAY"]
    assert listed(client, sort="mmi", mmi_after="2025-01-01") == ["MMI-MAY", "MMI-JULY"]


def test_case_manager_and_clinician_are_picked_by_key_as_links_give_them(db):
    jones, smith = CaseManagerFactory(last_name="Jones"), CaseManagerFactory(last_name="Smith")
    chen = ClinicianFactory(first_name="Emily", last_name="Chen")
    CaseFactory(claim_number="JONES", case_manager=jones, care_team=[chen])
    CaseFactory(claim_number="SMITH", case_manager=smith)
    client = client_for(AdministratorFactory())
    assert listed(client, case_manager=jones.pk) == ["JONES"]
    assert listed(client, clinician=chen.pk) == ["JONES"]
    assert listed(client, case_manager=jones.pk, clinician=chen.pk) == ["JONES"]
    page = client.get(reverse("case-list"), {"clinician": chen.pk}).content.decode()
    # The box names the person picked, and the key goes with the next search.
    assert 'name="clinician_name" value="Emily Chen"' in page
    assert f'name="clinician" value="{chen.pk}"' in page


def test_the_page_lists_nobody_it_offers_a_box_to_type_a_name_in(db):
    chen = ClinicianFactory(first_name="Emily", last_name="Chen")
    CaseFactory(case_manager=CaseManagerFactory(last_name="Jones"), care_team=[chen])
    page = client_for(AdministratorFactory()).get(reverse("case-list")).content.decode()
    assert "Emily Chen" not in page and "Jones</option>" not in page
    assert 'name="case_manager_name"' in page and 'name="clinician_name"' in page
    assert reverse("person-search", args=["clinician"]) in page


def test_a_name_typed_without_javascript_finds_everyone_so_named(db):
    karen = CaseManagerFactory(first_name="Karen", last_name="Jones")
    bob = CaseManagerFactory(first_name="Bob", last_name="Jonesy")
    CaseFactory(claim_number="KAREN", case_manager=karen)
    CaseFactory(claim_number="BOB", case_manager=bob)
    CaseFactory(claim_number="OTHER", case_manager=CaseManagerFactory(last_name="Smith"))
    client = client_for(AdministratorFactory())
    typed = {"case_manager": "", "sort": "claim"}
    assert listed(client, case_manager_name="jones", **typed) == ["BOB", "KAREN"]
    assert listed(client, case_manager_name="  karen JON ", **typed) == ["KAREN"]
    # The form sends the key of the name picked with it; a name typed over it wins, and a
    # box emptied means anyone.
    assert listed(client, case_manager=karen.pk, case_manager_name="Karen Jones") == ["KAREN"]
    assert listed(client, case_manager=karen.pk, case_manager_name="Bob", sort="claim") == ["BOB"]
    assert len(listed(client, case_manager=karen.pk, case_manager_name="")) == 3


def test_a_name_too_many_people_have_asks_for_more_of_it(db, monkeypatch):
    monkeypatch.setattr("cases.forms.person_search.NAMED_AT_MOST", 1)
    for first in ("Karen", "Bob"):
        CaseFactory(case_manager=CaseManagerFactory(first_name=first, last_name="Jones"))
    client = client_for(AdministratorFactory())
    page = client.get(reverse("case-list"), {"case_manager": "", "case_manager_name": "jones"})
    assert page.status_code == 200
    assert "More than 1 people are named “jones”: type more of the name" in page.content.decode()
    assert listed(client, case_manager="", case_manager_name="karen jones") != []


def test_the_suggestions_are_the_people_on_cases_one_may_see(cast):
    # Someone on another manager's case only, and people on no case at all.
    elsewhere = ClinicianFactory(last_name="Elsewhere")
    CaseFactory(case_manager=cast.other_case_manager, care_team=[elsewhere])
    idle_clinician, idle_manager = ClinicianFactory(), CaseManagerFactory()

    def suggested(user, role: str, typed: str = "") -> set:
        response = client_for(user).get(reverse("person-search", args=[role]), {"q": typed})
        assert response.status_code == 200
        return {person["id"] for person in response.json()["results"]}

    assert suggested(cast.case_manager, "case-manager") == {cast.case_manager.pk}
    assert suggested(cast.case_manager, "clinician") == {cast.clinician.pk}
    assert suggested(cast.case_manager, "clinician", "Elsewhere") == set()
    assert suggested(cast.adjuster, "case-manager") == {cast.case_manager.pk}
    assert suggested(cast.adjuster, "clinician") == {cast.clinician.pk}
    assert suggested(cast.clinician, "clinician") == {cast.clinician.pk}
    assert {cast.case_manager.pk, cast.other_case_manager.pk} <= suggested(
        cast.admin, "case-manager"
    )
    assert idle_manager.pk not in suggested(cast.admin, "case-manager")
    assert suggested(cast.admin, "clinician", "elsew") == {elsewhere.pk}
    assert idle_clinician.pk not in suggested(cast.admin, "clinician")
    missing = client_for(cast.admin).get(reverse("person-search", args=["adjuster"]))
    assert missing.status_code == 404


def test_suggestions_are_ten_by_last_name_with_their_names(db):
    team = [ClinicianFactory(first_name="Ann", last_name=f"Lee {n:02d}") for n in range(12)]
    CaseFactory(care_team=team)
    client = client_for(AdministratorFactory())
    response = client.get(reverse("person-search", args=["clinician"]), {"q": "ann lee"})
    assert response.json()["results"][:2] == [
        {"id": team[0].pk, "name": "Ann Lee 00"},
        {"id": team[1].pk, "name": "Ann Lee 01"},
    ]
    assert len(response.json()["results"]) == 10


def test_a_person_not_offered_is_refused_with_a_message_not_an_error(cast):
    client = client_for(cast.case_manager)
    refusals = (
        ({"case_manager": cast.other_case_manager.pk}, "That case manager is not on the cases"),
        ({"clinician": "x"}, "That clinician is not on the cases you see."),
        ({"clinician": "9" * 30}, "That clinician is not on the cases you see."),
        (
            {"case_manager": "", "case_manager_name": cast.other_case_manager.last_name},
            "No case manager on the cases you see is named",
        ),
    )
    for params, message in refusals:
        response = client.get(reverse("case-list"), params)
        assert response.status_code == 200
        assert message in response.content.decode()


def test_search_by_patient_name_or_claim_number(manager):
    CaseFactory(
        claim_number="LSM-0101",
        case_manager=manager,
        patient=PatientFactory(first_name="John", last_name="Davis"),
    )
    CaseFactory(
        claim_number="GCC-0202",
        case_manager=manager,
        patient=PatientFactory(first_name="Lisa", last_name="Reed"),
    )
    client = client_for(manager)
    assert listed(client, q="davis") == ["LSM-0101"]
    assert listed(client, q="lisa reed") == ["GCC-0202"]
    assert listed(client, q="gcc-02") == ["GCC-0202"]
    assert listed(client, q="john reed") == []


def test_search_by_date_of_birth_within_the_cases_one_may_see(manager):
    born = date(1984, 2, 3)
    CaseFactory(
        claim_number="MINE", case_manager=manager, patient=PatientFactory(date_of_birth=born)
    )
    CaseFactory(claim_number="NOT-MINE", patient=PatientFactory(date_of_birth=born))
    CaseFactory(claim_number="OTHER-DAY", case_manager=manager)
    client = client_for(manager)
    assert listed(client, q="1984-02-03") == ["MINE"]
    assert listed(client, q="2/3/1984") == ["MINE"]


def test_every_page_has_the_case_search_box(manager):
    page = client_for(manager).get(reverse("account")).content.decode()
    assert 'role="search"' in page
    assert f'action="{reverse("case-list")}"' in page
    assert "Find a case by claim number, patient name or birth date" in page


def test_search_words_match_the_start_of_a_word_newest_first(manager):
    def opened(claim, first, last):
        return CaseFactory(
            claim_number=claim,
            case_manager=manager,
            patient=PatientFactory(first_name=first, last_name=last),
        )

    opened("OLD-1", "José", "O'Brien")
    opened("MID-2", "Ann", "Smithson")
    opened("NEW-3", "Mary Ann", "Smith-Garcia")
    client = client_for(manager)
    assert listed(client, q="smith") == ["NEW-3", "MID-2"]
    assert listed(client, q="mith") == []  # inside a word: not a match
    assert listed(client, q="garcia") == ["NEW-3"]
    assert listed(client, q="jose obrien") == ["OLD-1"]
    assert listed(client, q="JOSÉ o'bri") == ["OLD-1"]
    assert listed(client, q="ann") == ["NEW-3", "MID-2"]
    assert listed(client, q="maryann") == ["NEW-3"]
    assert listed(client, q="mid2") == ["MID-2"]
    assert listed(client, q="ann smith", sort="claim") == ["MID-2", "NEW-3"]
    assert listed(client, q="-- ''") == ["NEW-3", "MID-2", "OLD-1"]  # no word: no search


def test_search_follows_changes_of_names_and_claim_numbers(manager):
    patient = PatientFactory(first_name="Lisa", last_name="Reed")
    case = CaseFactory(claim_number="GCC-0202", case_manager=manager, patient=patient)
    client = client_for(manager)
    services.case_update(case=case, claim_number="TX-777")
    assert listed(client, q="gcc") == []
    assert listed(client, q="tx-777") == ["TX-777"]
    admin = client_for(AdministratorFactory(is_staff=True, is_superuser=True))
    response = admin.post(
        reverse("admin:cases_patient_change", args=[patient.pk]),
        {
            "first_name": "Lisa",
            "last_name": "Moreno",
            "date_of_birth": "1980-02-03",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    assert listed(client, q="reed") == []
    assert listed(client, q="moreno") == ["TX-777"]


def test_searching_a_common_name_reads_no_more_than_the_page(manager):
    for n in range(30):
        CaseFactory(
            claim_number=f"S-{n:02d}",
            case_manager=manager,
            patient=PatientFactory(last_name="Smith"),
        )
    client = client_for(AdministratorFactory())
    with CaptureQueriesContext(connection) as queries:
        assert len(listed(client, q="smith")) == 25
    keys = next(q["sql"] for q in queries if "ORDER BY" in q["sql"] and "LIMIT 25" in q["sql"])
    # The order is the term's copy of the opening time, which its index holds.
    assert "casesearchterm" in keys.split("ORDER BY")[1]


def test_sort_by_a_column_and_its_reverse(manager):
    for claim in ["B-2", "A-1", "C-3"]:
        CaseFactory(claim_number=claim, case_manager=manager)
    client = client_for(manager)
    assert listed(client, sort="claim") == ["A-1", "B-2", "C-3"]
    assert listed(client, sort="-claim") == ["C-3", "B-2", "A-1"]
    page = client.get(reverse("case-list"), {"sort": "claim"}).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "sort=-claim" in page


def test_pages_hold_twenty_five_cases_and_keep_the_filters(manager):
    for n in range(30):
        CaseFactory(claim_number=f"P-{n:02d}", case_manager=manager, body_part="knee")
    client = client_for(manager)
    first = listed(client, body_part="knee", sort="claim")
    second = listed(client, body_part="knee", sort="claim", page=2)
    assert len(first) == 25 and len(second) == 5
    assert not set(first) & set(second)
    page = client.get(reverse("case-list"), {"body_part": "knee"}).content.decode()
    assert "body_part=knee" in page and "page=2" in page


def test_a_long_list_is_counted_only_as_far_as_the_page_needs(manager, monkeypatch):
    monkeypatch.setattr("cases.views.case_list.COUNT_AT_LEAST", 30)
    for n in range(60):
        CaseFactory(claim_number=f"C-{n:02d}", case_manager=manager)
    client = client_for(manager)
    first = client.get(reverse("case-list"), {"sort": "claim"}).content.decode()
    assert "More than 30 cases." in first
    assert "Page 1</span>" in first and "page=2" in first
    last = client.get(reverse("case-list"), {"sort": "claim", "page": 3})
    assert [c.claim_number for c in last.context["page"].object_list] == [
        f"C-{n}" for n in range(50, 60)
    ]
    assert "60 cases." in last.content.decode()


def test_a_bad_date_is_explained_next_to_the_field_and_nothing_breaks(manager):
    CaseFactory(case_manager=manager)
    response = client_for(manager).get(reverse("case-list"), {"injured_after": "yesterday"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_filters_never_reach_another_managers_cases(manager):
    CaseFactory(claim_number="MINE", case_manager=manager, body_part="knee")
    CaseFactory(claim_number="THEIRS", body_part="knee")
    assert listed(client_for(manager), body_part="knee") == ["MINE"]


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "params", [{}, {"q": "Ient", "sort": "patient"}, {"status": "open", "body_part": "neck"}]
)
def test_list_and_export_make_the_same_number_of_queries_whatever_the_size(manager, params):
    client = client_for(manager)
    CaseFactory.create_batch(3, case_manager=manager, body_part="neck")
    small = (
        _queries(client, reverse("case-list"), params),
        _queries(client, reverse("case-list-csv"), params),
    )
    CaseFactory.create_batch(40, case_manager=manager, body_part="neck")
    large = (
        _queries(client, reverse("case-list"), params),
        _queries(client, reverse("case-list-csv"), params),
    )
    assert small == large


def test_the_pickers_cost_the_same_queries_however_many_people_are_on_the_cases(manager):
    client = client_for(manager)
    chen = ClinicianFactory()
    CaseFactory.create_batch(3, case_manager=manager, care_team=[chen])
    params = {"case_manager": manager.pk, "clinician_name": chen.last_name}
    small = (
        _queries(client, reverse("case-list"), params),
        _queries(client, reverse("case-list-csv"), params),
    )
    for _ in range(15):
        CaseFactory(case_manager=manager, care_team=[chen, ClinicianFactory()])
    large = (
        _queries(client, reverse("case-list"), params),
        _queries(client, reverse("case-list-csv"), params),
    )
    assert small == large


# CSV export


@pytest.mark.parametrize(
    "cell,safe",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ('＝HYPERLINK("http://x")', '\'＝HYPERLINK("http://x")'),
        ("＋1", "'＋1"),
        ("－2", "'－2"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("Davis", "Davis"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(cell, safe):
    assert neutralise(cell) == safe


def test_export_has_the_filtered_cases_with_formulas_neutralised(manager):
    CaseFactory(
        claim_number="EVIL-1",
        case_manager=manager,
        body_part="knee",
        patient=PatientFactory(first_name="=cmd|' /C calc'!A0", last_name="Smith"),
    )
    CaseFactory(claim_number="OTHER-BODY", case_manager=manager, body_part="neck")
    rows = exported(client_for(manager), body_part="knee")
    assert rows[0][:3] == ["Claim number", "State claim number", "Patient"]
    assert [row[0] for row in rows[1:]] == ["EVIL-1"]
    assert rows[1][2] == "'=cmd|' /C calc'!A0 Smith"


def test_export_is_scoped_like_the_page(cast):
    CaseFactory(claim_number="SOMEONE-ELSES")
    for role, user in cast.roles().items():
        if user is None:
            continue
        claims = [row[0] for row in exported(client_for(user))[1:]]
        assert "SOMEONE-ELSES" not in claims or role == "admin", role
        assert (cast.case.claim_number in claims) == (not role.startswith("other_")), role


# Time to MMI


def at_mmi(claim, days, *, body_part="knee", codes="S83.511A", **fields) -> Case:
    injured = timezone.localdate() - timedelta(days=200)
    return CaseFactory(
        claim_number=claim,
        body_part=body_part,
        diagnosis_codes=codes,
        date_of_injury=injured,
        mmi_date=injured + timedelta(days=days),
        **fields,
    )


def test_time_to_mmi_shows_median_and_spread_by_body_part_and_diagnosis(cast):
    insurer = cast.case.insurer
    for n, days in enumerate([100, 120, 200]):
        at_mmi(f"K-{n}", days, insurer=insurer)
    at_mmi("B-1", 60, body_part="lower_back", codes="M54.50", insurer=insurer)
    at_mmi("HIDDEN", 999, body_part="hip")  # another insurer's
    response = client_for(cast.adjuster).get(reverse("time-to-mmi"))
    assert response.status_code == 200
    statistics = response.context["statistics"]
    knee = next(s for s in statistics.by_body_part if s.label == "Knee")
    assert (knee.count, knee.minimum, knee.median, knee.maximum) == (3, 100, 120.0, 200)
    assert (knee.lower_quartile, knee.upper_quartile) == (110.0, 160.0)
    # Each group named with its ICD-10 category.
    assert [s.label for s in statistics.by_diagnosis] == [
        "M54 — Dorsalgia",
        "S83 — Dislocation and sprain of joints and ligaments of knee",
    ]
    page = response.content.decode()
    assert "Hip" not in page[page.index("<figure") :]  # the body part filter offers it
    assert "style=" not in page.split("<main", 1)[1]


def test_groups_of_fewer_than_five_cases_are_too_few_to_draw(cast):
    insurer = cast.case.insurer
    for n, days in enumerate([100, 110, 120, 130, 140]):
        at_mmi(f"K-{n}", days, insurer=insurer)
    for n, days in enumerate([60, 90]):
        at_mmi(f"B-{n}", days, body_part="lower_back", codes="M54.50", insurer=insurer)
    page = client_for(cast.adjuster).get(reverse("time-to-mmi")).content.decode()
    chart = page[page.index('id="box-days-from-injury-to-mmi-by-body-part"') :]
    chart = chart[: chart.index("</table>")]
    assert "Lower back: 2 cases, too few to draw" in chart
    assert "2 cases: too few to draw" in chart
    assert "Knee: median 120 days" in chart
    assert chart.count("<rect") == 1  # the knee's box only
    assert "<title id=" in chart and "<desc id=" in chart
    # Nor do the figures give away a few workers' own recoveries.
    assert ">60<" not in chart and ">90<" not in chart


def test_no_chart_is_drawn_when_every_group_is_too_few_to_draw(cast):
    insurer = cast.case.insurer
    for n, days in enumerate([100, 120]):
        at_mmi(f"K-{n}", days, insurer=insurer)
    page = client_for(cast.adjuster).get(reverse("time-to-mmi")).content.decode()
    chart = page[page.index('id="box-days-from-injury-to-mmi-by-body-part"') :]
    chart = chart[: chart.index("</table>")]
    assert "<svg" not in chart
    assert "No group has the 5 cases a box needs yet" in chart
    assert "Too few to draw" in chart  # the table still counts the knee's 2 cases


def test_time_to_mmi_with_nothing_at_mmi_says_so(cast):
    page = client_for(cast.case_manager).get(reverse("time-to-mmi")).content.decode()
    assert "No case you can see has reached MMI yet." in page


def test_time_to_mmi_makes_one_query_for_the_statistics_whatever_the_size(cast):
    client = client_for(cast.admin)
    at_mmi("S-0", 50)
    small = _queries(client, reverse("time-to-mmi"))
    for n in range(1, 20):
        at_mmi(f"S-{n}", 50 + n, body_part="neck", codes=f"M{50 + n}.1")
    assert _queries(client, reverse("time-to-mmi")) == small


# seed_scale


def test_seed_scale_fills_every_kind_of_record(db):
    call_command("seed_scale", cases=300, stdout=io.StringIO())
    assert Case.objects.count() == 300
    assert Patient.objects.count() == 300
    statuses = set(Determination.objects.values_list("status", flat=True))
    assert statuses == {"draft", "signed", "superseded", "rescinded"}
    assert Dispute.objects.exists()
    # Periods of disability, from which statutory MMI is worked out and stored.
    assert DisabilityPeriod.objects.exists()
    assert Case.objects.filter(jurisdiction="TX", statutory_mmi_date__isnull=False).exists()
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert Case.objects.filter(status=CaseStatus.AT_MMI, mmi_date__isnull=True).count() == 0


def test_an_adjuster_is_offered_only_their_own_insurer(cast):
    other_insurer = cast.other_adjuster.organisation
    client = client_for(cast.adjuster)
    page = client.get(reverse("case-list"))
    offered = list(page.context["filter"].form.fields["insurer"].queryset)
    assert offered == [cast.adjuster.organisation]
    assert other_insurer.name not in page.content.decode()

    refused = client.get(reverse("case-list"), {"insurer": other_insurer.pk})
    assert "Select a valid choice" in refused.content.decode()


def test_everyone_else_is_offered_every_insurer(cast):
    page = client_for(cast.case_manager).get(reverse("case-list"))
    offered = set(page.context["filter"].form.fields["insurer"].queryset)
    assert {cast.adjuster.organisation, cast.other_adjuster.organisation} <= offered


def test_overdue_reviews_stand_out_and_closed_cases_have_none(manager):
    today = timezone.localdate()
    CaseFactory(claim_number="LATE", case_manager=manager, next_review_date=today - timedelta(1))
    CaseFactory(claim_number="SOON", case_manager=manager, next_review_date=today + timedelta(9))
    CaseFactory(
        claim_number="DONE",
        case_manager=manager,
        status=CaseStatus.CLOSED,
        next_review_date=today - timedelta(30),
    )
    rows = {
        row.split("</a>")[0].rsplit(">", 1)[-1]: row
        for row in client_for(manager).get(reverse("case-list")).content.decode().split("<tr>")[2:]
    }
    assert "Overdue" in rows["LATE"]
    assert "Overdue" not in rows["SOON"]
    assert "Overdue" not in rows["DONE"]
    assert day(today - timedelta(30)) not in rows["DONE"]


def test_the_review_rule_needs_no_database():
    today = timezone.localdate()
    late = Case(status=CaseStatus.IN_TREATMENT, next_review_date=today - timedelta(1))
    closed = Case(status=CaseStatus.CLOSED, next_review_date=today - timedelta(1))
    due_today = Case(status=CaseStatus.AT_MMI, next_review_date=today)
    assert late.review_overdue and late.review_due == today - timedelta(1)
    assert closed.review_due is None and not closed.review_overdue
    assert not due_today.review_overdue
    assert Case(status=CaseStatus.OPEN).review_due is None


def test_export_reports_in_iso_dates_with_the_certification_in_force(cast):
    signed = signed_determination(cast.case, cast.clinician)
    case = Case.objects.get(pk=cast.case.pk)
    header, *rows = exported(client_for(cast.case_manager))
    row = dict(zip(header, next(r for r in rows if r[0] == case.claim_number), strict=True))

    assert row["Date of injury"] == case.date_of_injury.isoformat()
    assert row["MMI date"] == signed.mmi_date.isoformat()
    assert row["Statutory MMI date"] == case.statutory_mmi_date.isoformat()
    assert row["Days from injury to MMI"] == str((signed.mmi_date - case.date_of_injury).days)
    assert row["MMI type"] == signed.get_mmi_type_display()
    assert row["Whole person impairment (%)"] == str(signed.impairment_rating)
    assert row["Clinicians"] == str(cast.clinician)
    assert row["Diagnosis codes"] == " ".join(case.diagnosis_code_list)
