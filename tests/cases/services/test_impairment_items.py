"""Impairment items on the outcome step: the whole person rating computed from them, with its
working, live while editing, and no hand-typed total once there are items.

The arithmetic is tested in tests/domain/test_impairment.py; these tests check the page, the
service and the record.
"""

import io
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services
from cases.domain import impairment
from cases.models import Determination, DeterminationLocked, ImpairmentItem, User
from tests.support.cast import Cast, client_for
from tests.support.determinations import complete_draft, exam_day, save_step, valid_answers

LUMBAR = [
    ("Lumbar spine", "whole_person", "5", "Table 15-3, DRE category II", "combine"),
    ("Lumbar spine", "whole_person", "2", "Table 15-3, radicular complaints", "combine"),
]


def items_data(rows, *, extra: int = 0, delete: tuple[int, ...] = ()) -> dict:
    """POST data of the items table: ``rows`` filled in, ``extra`` empty rows."""
    data = {
        "items-TOTAL_FORMS": str(len(rows) + extra),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, (region, level, value, method, mode) in enumerate(rows):
        data.update(
            {
                f"items-{index}-region": region,
                f"items-{index}-level": level,
                f"items-{index}-value": value,
                f"items-{index}-method": method,
                f"items-{index}-mode": mode,
            }
        )
        if index in delete:
            data[f"items-{index}-DELETE"] = "on"
    for index in range(len(rows), len(rows) + extra):
        data[f"items-{index}-mode"] = "combine"
    return data


@pytest.fixture
def draft(cast: Cast) -> Determination:
    determination = services.determination_start(case=cast.case, started_by=cast.clinician)
    for slug in ("clinical", "therapy", "diagnostics", "consultations", "legal"):
        save_step(determination, slug, cast.clinician)
    return Determination.objects.get(pk=determination.pk)


def outcome_url(determination: Determination) -> str:
    return reverse("determination-step", args=[determination.pk, "outcome"])


def post_outcome(cast: Cast, determination: Determination, rows, *, follow=False, **changes):
    data = {
        **valid_answers(determination.case, "outcome"),
        "impairment_rating": "",
        "revision": 0,
        **items_data(rows, extra=2),
        **changes,
    }
    return client_for(cast.clinician).post(outcome_url(determination), data, follow=follow)


def rating_of(determination: Determination) -> int | None:
    return Determination.objects.get(pk=determination.pk).impairment_rating


# --- the outcome step ------------------------------------------------------------------------


def test_the_outcome_step_has_an_items_table_and_says_how_the_rating_is_made(cast, draft):
    html = client_for(cast.clinician).get(outcome_url(draft)).content.decode()
    assert 'name="items-0-region"' in html
    assert 'name="items-TOTAL_FORMS"' in html
    assert "Impairment items" in html
    assert "Without items, type the rating in the box below." in html


def test_items_set_the_rating_and_the_page_shows_them_with_the_working(cast, draft):
    response = post_outcome(cast, draft, LUMBAR)
    assert response.status_code == 302
    assert rating_of(draft) == 7
    saved = list(draft.impairment_items.values_list("region", "value", "method", "position"))
    assert saved == [
        ("Lumbar spine", 5, "Table 15-3, DRE category II", 0),
        ("Lumbar spine", 2, "Table 15-3, radicular complaints", 1),
    ]
    html = client_for(cast.clinician).get(draft.get_absolute_url()).content.decode()
    assert "Impairment items" in html
    assert "Lumbar spine, whole person: 5 % (Table 15-3, DRE category II), combined" in html
    assert "How the rating was worked out" in html
    assert (
        "Lumbar spine, whole person: Combine 5 % and 2 %: 5 + 2 × (1 − 0.05) = 6.9 %, "
        "rounded to 7 %" in html
    )


def test_the_step_shows_the_saved_items_and_their_working_when_opened_again(cast, draft):
    post_outcome(cast, draft, LUMBAR)
    html = client_for(cast.clinician).get(outcome_url(draft)).content.decode()
    assert 'value="Table 15-3, DRE category II"' in html
    assert "Whole person rating from the items: <strong>7 %</strong>" in html


@pytest.mark.parametrize("typed", ["10", "150", "seven"])
def test_a_typed_total_is_replaced_by_the_one_computed_from_the_items(cast, draft, typed):
    response = post_outcome(cast, draft, LUMBAR, impairment_rating=typed, follow=True)
    assert response.redirect_chain[0][1] == 302
    assert rating_of(draft) == 7
    assert draft.impairment_items.count() == 2
    html = response.content.decode()
    assert (
        "The whole person rating is 7 %, computed from the impairment items; "
        f"the {typed} typed in the rating box was replaced by it." in html
    )


def test_the_computed_total_typed_again_is_accepted_without_a_word(cast, draft):
    response = post_outcome(cast, draft, LUMBAR, impairment_rating="7", follow=True)
    assert response.redirect_chain[0][1] == 302
    assert rating_of(draft) == 7
    html = response.content.decode()
    assert "Outcome saved." in html
    assert "was replaced" not in html


def test_without_items_the_rating_is_typed_by_hand(cast, draft):
    assert post_outcome(cast, draft, [], impairment_rating="12").status_code == 302
    assert rating_of(draft) == 12
    assert not draft.impairment_items.exists()


def test_regions_are_finished_then_combined_at_whole_person(cast, draft):
    rows = [
        ("Left hand", "index", "75", "Figure 16-31", "combine"),
        ("Lumbar spine", "whole_person", "5", "Table 15-3, DRE category II", "combine"),
    ]
    assert post_outcome(cast, draft, rows).status_code == 302
    # Index 75 → hand 15 → upper extremity 14 → whole person 8; 8 ⊕ 5 = 12.6 → 13.
    assert rating_of(draft) == 13


def test_removing_every_item_leaves_a_hand_typed_rating(cast, draft):
    post_outcome(cast, draft, LUMBAR)
    data = {
        **valid_answers(draft.case, "outcome"),
        "impairment_rating": "4",
        "revision": 1,
        **items_data(LUMBAR, delete=(0, 1)),
    }
    assert client_for(cast.clinician).post(outcome_url(draft), data).status_code == 302
    assert rating_of(draft) == 4
    assert not draft.impairment_items.exists()


def test_not_at_mmi_keeps_no_items(cast, draft):
    post_outcome(cast, draft, LUMBAR)
    data = {
        **valid_answers(draft.case, "outcome"),
        "mmi_reached": "no",
        "mmi_date": "",
        "impairment_rating": "",
        "expected_mmi_date": draft.exam_date.replace(year=draft.exam_date.year + 1).isoformat(),
        "plan": "Finish the work hardening programme.",
        "revision": 1,
        **items_data(LUMBAR),
    }
    assert client_for(cast.clinician).post(outcome_url(draft), data).status_code == 302
    assert rating_of(draft) is None
    assert not draft.impairment_items.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("Lumbar spine", "whole_person", "-5", "Table 15-3", "combine"), "cannot be negative"),
        (("Lumbar spine", "whole_person", "101", "Table 15-3", "combine"), "cannot be over 100"),
        (("Lumbar spine", "whole_person", "five", "Table 15-3", "combine"), "a whole percent"),
        (("Lumbar spine", "elbow", "5", "Table 15-3", "combine"), "Select a valid choice"),
        (("Lumbar spine", "whole_person", "5", "", "combine"), "Name the Guides table"),
        (("", "whole_person", "5", "Table 15-3", "combine"), "Name the region"),
    ],
)
def test_a_bad_item_is_explained_in_its_row_and_nothing_is_saved(cast, draft, row, message):
    response = post_outcome(cast, draft, [LUMBAR[0], row])
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Correct the impairment items marked below to see the rating." in html
    assert rating_of(draft) is None
    assert not draft.impairment_items.exists()


def marked_fields(html: str) -> list[str]:
    """The names of the item fields the page marks as wrong, each with its message beside it."""
    names = re.findall(r'<(?:input|select)[^>]*name="(items-[^"]+)"[^>]*aria-invalid="true"', html)
    names += re.findall(r'<(?:input|select)[^>]*aria-invalid="true"[^>]*name="(items-[^"]+)"', html)
    for name in names:
        assert f'id="id_{name}_error"' in html, f"{name} is marked with no message beside it"
    return sorted(set(names))


def test_each_bad_item_is_marked_next_to_its_own_field(cast, draft):
    rows = [
        LUMBAR[0],
        ("Left hand", "", "75", "Figure 16-31", "combine"),
        ("Right knee", "lower_extremity", "120", "Table 17-33", "combine"),
    ]
    html = post_outcome(cast, draft, rows).content.decode()
    assert marked_fields(html) == ["items-1-level", "items-2-value"]
    assert "Choose the level the value is at." in html
    assert "An impairment cannot be over 100 %." in html


def test_a_removed_bad_item_is_neither_marked_nor_saved(cast, draft):
    rows = [LUMBAR[0], ("", "elbow", "500", "", "combine"), LUMBAR[1]]
    response = post_outcome(cast, draft, rows, **{"items-1-DELETE": "on"})
    assert response.status_code == 302
    assert rating_of(draft) == 7


def test_too_many_items_are_refused_without_speaking_of_marked_items(cast, draft):
    many = [(f"Region {n}", "whole_person", "1", "Table 15-3", "combine") for n in range(41)]
    response = post_outcome(cast, draft, many)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please submit at most 40 forms." in html
    assert "marked below to see the rating" not in html
    assert marked_fields(html) == []
    assert not draft.impairment_items.exists()


def test_items_added_in_the_page_and_removed_are_saved_as_the_page_left_them(cast, draft):
    # Four items added in the page (more than the two blank ones it brings), the second
    # removed again, and a blank item left at the end.
    rows = [
        ("Left hand", "index", "75", "Figure 16-31", "combine"),
        ("Left hand", "thumb", "20", "Figure 16-12", "combine"),
        ("Lumbar spine", "whole_person", "5", "Table 15-3, DRE category II", "combine"),
        ("Right foot", "foot", "10", "Table 17-33", "combine"),
    ]
    assert post_outcome(cast, draft, rows, **{"items-1-DELETE": "on"}).status_code == 302
    saved = list(draft.impairment_items.values_list("region", "level", "value", "position"))
    assert saved == [
        ("Left hand", "index", 75, 0),
        ("Lumbar spine", "whole_person", 5, 1),
        ("Right foot", "foot", 10, 2),
    ]
    # Index 75 → 8 % whole person; foot 10 → 7 → 3; 8 ⊕ 5 = 12.6 → 13; 13 ⊕ 3 = 15.61 → 16.
    assert rating_of(draft) == 16


def test_the_step_shows_each_items_own_whole_person_value(cast, draft):
    rows = [("Left hand", "index", "75", "Figure 16-31", "combine"), LUMBAR[0]]
    post_outcome(cast, draft, rows)
    html = client_for(cast.clinician).get(outcome_url(draft)).content.decode()
    assert re.search(r'id="items-0-whole-person"[^>]*>8 %</output>', html)
    assert re.search(r'id="items-1-whole-person"[^>]*>5 %</output>', html)


def test_an_arm_and_a_leg_in_one_region_are_refused(cast, draft):
    rows = [
        ("Left side", "hand", "10", "Table 16-27", "combine"),
        ("Left side", "foot", "10", "Table 17-33", "combine"),
    ]
    html = post_outcome(cast, draft, rows).content.decode()
    assert "mixes hand and foot impairments: rate each limb as its own region" in html
    assert not draft.impairment_items.exists()


def test_typed_item_text_is_escaped(cast, draft):
    rows = [("<b>Lumbar</b>", "whole_person", "5", "<script>x()</script>", "combine")]
    post_outcome(cast, draft, rows)
    html = client_for(cast.clinician).get(draft.get_absolute_url()).content.decode()
    assert "<script>x()</script>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


def test_the_outcome_step_with_many_items_makes_as_many_queries_as_with_one(
    cast, draft, django_assert_num_queries
):
    client = client_for(cast.clinician)
    post_outcome(cast, draft, LUMBAR[:1])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(outcome_url(draft)).status_code == 200
    one = len(captured)
    many = [(f"Region {n}", "hand", str(n), f"Table {n}", "combine") for n in range(40)]
    data = {
        **valid_answers(draft.case, "outcome"),
        "impairment_rating": "",
        "revision": 1,
        **items_data(many),
    }
    assert client.post(outcome_url(draft), data).status_code == 302
    assert draft.impairment_items.count() == 40
    with django_assert_num_queries(one):
        response = client.get(outcome_url(draft))
    assert 'name="items-39-region"' in response.content.decode()
    # A refused post with as many items redraws the page without a query per item either.
    with django_assert_num_queries(one):
        client.post(outcome_url(draft), {**data, "revision": 2, "items-3-value": "x"})


def test_the_outcome_step_queries_do_not_grow_with_the_items(cast, draft):
    client = client_for(cast.clinician)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(outcome_url(draft)).status_code == 200
        return len(captured)

    post_outcome(cast, draft, LUMBAR[:1])
    few = queries()
    many = [(f"Region {n}", "whole_person", "3", "Table 15-3", "combine") for n in range(8)]
    data = {
        **valid_answers(draft.case, "outcome"),
        "impairment_rating": "",
        "revision": 1,
        **items_data(many),
    }
    assert client.post(outcome_url(draft), data).status_code == 302
    assert queries() == few


# --- the live rating -------------------------------------------------------------------------


def rating_url(determination: Determination) -> str:
    return reverse("determination-impairment-rating", args=[determination.pk])


def test_the_live_rating_recomputes_from_the_form_without_saving(cast, draft):
    response = client_for(cast.clinician).post(
        rating_url(draft), items_data(LUMBAR, extra=1), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Whole person rating from the items: <strong>7 %</strong>" in html
    assert "Combine 5 % and 2 %" in html
    assert not draft.impairment_items.exists()
    assert rating_of(draft) is None


def test_the_live_rating_says_what_each_unfinished_item_needs(cast, draft):
    rows = [LUMBAR[0], ("Lumbar spine", "", "150", "Table 15-3", "combine")]
    data = {**items_data(rows), "items-0-DELETE": "on"}
    html = client_for(cast.clinician).post(rating_url(draft), data).content.decode()
    # Numbered among the items still there, as the page numbers them once one is removed.
    assert "Item 1: Choose the level the value is at. An impairment cannot be over 100 %." in html
    # Nothing is marked in the page while typing, so nothing speaks of marked items.
    assert "marked" not in html


def test_the_live_rating_sends_each_items_own_whole_person_value(cast, draft):
    rows = [("Left hand", "index", "75", "Figure 16-31", "combine"), LUMBAR[0]]
    html = client_for(cast.clinician).post(rating_url(draft), items_data(rows)).content.decode()
    assert "Whole person rating from the items: <strong>13 %</strong>" in html
    assert re.search(r'id="items-0-whole-person"[^>]*hx-swap-oob="true">8 %</output>', html)
    assert re.search(r'id="items-1-whole-person"[^>]*hx-swap-oob="true">5 %</output>', html)


def test_the_live_rating_without_its_management_form_explains_rather_than_fails(cast, draft):
    response = client_for(cast.clinician).post(rating_url(draft), {"items-0-region": "Knee"})
    assert response.status_code == 200
    assert "ManagementForm data is missing" in response.content.decode()


def test_the_live_rating_queries_do_not_grow_with_the_items(cast, draft, django_assert_num_queries):
    client = client_for(cast.clinician)

    def queries(count: int) -> int:
        rows = [(f"Region {n}", "whole_person", "3", "Table 15-3", "combine") for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            assert client.post(rating_url(draft), items_data(rows)).status_code == 200
        return len(captured)

    few = queries(1)
    rows = [(f"Region {n}", "whole_person", "3", "Table 15-3", "combine") for n in range(30)]
    with django_assert_num_queries(few):
        client.post(rating_url(draft), items_data(rows))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("clinician", 200),
        ("other_clinician", 404),
        ("case_manager", 403),
        ("other_case_manager", 404),
        ("adjuster", 404),  # adjusters never see drafts
        ("other_adjuster", 404),
        ("admin", 403),
    ],
)
def test_only_clinicians_who_may_determine_get_the_live_rating(cast, draft, role, status):
    response = client_for(getattr(cast, role)).post(rating_url(draft), items_data(LUMBAR))
    assert response.status_code == status


def test_the_live_rating_answers_post_only(cast, draft):
    assert client_for(cast.clinician).get(rating_url(draft)).status_code == 405


# --- the record ------------------------------------------------------------------------------


def items(*values: int) -> list[impairment.ImpairmentItem]:
    return [
        impairment.ImpairmentItem(
            region="Lumbar spine", level="whole_person", value=value, method="Table 15-3"
        )
        for value in values
    ]


def test_the_service_sets_the_rating_from_the_items_whatever_the_columns_say(cast, draft):
    services.determination_save_step(
        determination=draft,
        slug="outcome",
        # An outcome the validity rules accept, but for a typed rating the items overrule.
        columns={
            "mmi_reached": True,
            "mmi_date": exam_day(cast.case),
            "impairment_finding": "rated",
            "impairment_rating": 40,
            "mmi_unconditional": True,
        },
        answers={},
        expected_revision=0,
        saved_by=cast.clinician,
        impairment_items=items(5, 2),
    )
    assert rating_of(draft) == 7


def test_items_of_a_signed_determination_cannot_change(cast, draft):
    complete_draft(draft, cast.clinician)
    services.determination_save_step(
        determination=draft,
        slug="outcome",
        columns={},
        answers={},
        expected_revision=1,
        saved_by=cast.clinician,
        impairment_items=items(5),
    )
    signed = services.determination_sign(determination=draft, signed_by=cast.clinician)
    item = signed.impairment_items.get()
    item.value = 30
    with pytest.raises(DeterminationLocked):
        item.save()
    with pytest.raises(DeterminationLocked):
        signed.impairment_items.all().delete()
    with pytest.raises(DeterminationLocked):
        ImpairmentItem.objects.filter(determination=signed).update(value=30)


def test_an_amendment_starts_from_the_items_of_the_version_it_amends(cast, draft):
    complete_draft(draft, cast.clinician)
    services.determination_save_step(
        determination=draft,
        slug="outcome",
        columns={},
        answers={},
        expected_revision=1,
        saved_by=cast.clinician,
        impairment_items=items(5, 2),
    )
    signed = services.determination_sign(determination=draft, signed_by=cast.clinician)
    amendment = services.determination_amend(determination=signed, amended_by=cast.clinician)
    assert [item.value for item in amendment.impairment_items.all()] == [5, 2]
    assert amendment.impairment_rating == 7


# --- consistency warnings before signing (docs/domain.md §2, §6; Texas §408.122) ------------


def review_page(cast: Cast, determination: Determination) -> str:
    url = reverse("determination-review", args=[determination.pk])
    return client_for(cast.clinician).get(url).content.decode()


def test_a_rating_without_any_objective_finding_is_warned_about(cast):
    # Step 1 (which asks for the examination's objective findings) not saved yet, and
    # step 3 names none: nothing objective supports the rating.
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    save_step(draft, "diagnostics", cast.clinician, objective_findings="")
    post_outcome(cast, draft, LUMBAR, permanent_restrictions="")
    html = review_page(cast, draft)
    assert "An impairment of 7% is rated but no objective finding is recorded" in html
    assert "§408.122" in html
    assert "Permanent restrictions are recorded" not in html


def test_permanent_restrictions_without_a_diagnostic_finding_are_warned_about(cast, draft):
    # Step 1 records examination findings, but step 3 names no objective finding.
    save_step(draft, "diagnostics", cast.clinician, objective_findings="")
    post_outcome(cast, draft, [], impairment_rating="0")
    html = review_page(cast, draft)
    assert (
        "Permanent restrictions are recorded but no objective finding from diagnostic testing "
        "(step 3) supports them" in html
    )
    assert "The whole person impairment is 0% but permanent restrictions are recorded" in html
    assert "no objective finding is recorded" not in html


def test_warnings_do_not_stop_signing(cast, draft):
    save_step(draft, "diagnostics", cast.clinician, objective_findings="")
    post_outcome(cast, draft, [], impairment_rating="0")
    url = reverse("determination-review", args=[draft.pk])
    assert client_for(cast.clinician).get(url).context["review"].may_sign


# --- the demo ----------------------------------------------------------------------------------


@time_machine.travel(datetime(2026, 7, 1, 12, tzinfo=UTC), tick=False)
def test_the_demo_gives_john_an_itemised_rating_and_a_texas_estimate(db):
    call_command("seed_demo", stdout=io.StringIO())
    john = Determination.objects.get(case__claim_number="LSM-2026-0101")
    # One DRE item only: the 4th edition rates the lumbar spine with one model.
    assert [(item.level, item.value) for item in john.impairment_items.all()] == [
        ("whole_person", 5),
    ]
    assert john.impairment_rating == 5
    doctor = client_for(User.objects.get(username="dr.chen"))
    assert "How the rating was worked out" in doctor.get(john.get_absolute_url()).content.decode()
    adjuster = client_for(User.objects.get(username="adj.lonestar"))
    page = adjuster.get(reverse("case-detail", args=[john.case_id])).content.decode()
    assert "Impairment income benefits (IIBs) under Texas rules" in page
    assert "Total: 15 weeks × $700.00 = $10,500.00." in page


@pytest.mark.parametrize("initial_forms", ["0", "2"])
def test_saving_the_outcome_again_unchanged_keeps_the_items(cast, draft, initial_forms):
    # The page shows the saved items as the table's rows (its management form counts them as
    # initial); saving it again as it stands, with a changed narrative and the same rows,
    # must keep them, not read the rows as untouched blanks.
    post_outcome(cast, draft, LUMBAR)
    response = post_outcome(
        cast,
        draft,
        LUMBAR,
        revision=1,
        rationale="Reviewed again.",
        **{"items-INITIAL_FORMS": initial_forms},
    )
    assert response.status_code == 302
    assert rating_of(draft) == 7
    assert draft.impairment_items.count() == 2
