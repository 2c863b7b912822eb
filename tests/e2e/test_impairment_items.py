"""The impairment items of the outcome step in a real browser: items added and removed in
place, the rating worked out live as they change and saved as shown, at desktop and phone
widths, and the same form without JavaScript."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases import services
from cases.models import Case, Determination, User
from tests.support.determinations import save_step

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Lisa R. (Gulf Coast Casualty, Dr Chen): no determination yet in the demo.
LISA = "GCC-2026-0202"

# (region, level, impairment %, Guides table): whole person on its own 8 %, 5 % and 3 %
# (index 75 → hand 15 → upper extremity 14 → 8; foot 10 → lower extremity 7 → 3).
ITEMS = [
    ("Left hand", "index", "75", "Figure 16-31"),
    ("Lumbar spine", "whole_person", "5", "Table 15-3, DRE category II"),
    ("Right foot", "foot", "10", "Table 17-33"),
]


def outcome_step() -> tuple[Determination, str]:
    """Lisa R.'s draft with the first five steps saved, and its outcome step's address."""
    case = Case.objects.get(claim_number=LISA)
    chen = User.objects.get(username="dr.chen")
    draft = services.determination_start(case=case, started_by=chen)
    today = timezone.localdate().isoformat()
    for slug in ("clinical", "therapy", "diagnostics", "consultations", "legal"):
        save_step(draft, slug, chen, **({"exam_date": today} if slug == "clinical" else {}))
    return draft, reverse("determination-step", args=[draft.pk, "outcome"])


def answer_the_outcome(page: Page) -> None:
    if page.evaluate("() => !!window.htmx"):  # with JavaScript: once the editor is set up
        expect(page.locator("[data-impairment-items]")).to_have_attribute("data-ready", "true")
    page.get_by_role("radio", name="Yes: at MMI").check()
    page.get_by_label("MMI date").fill(timezone.localdate().isoformat())
    page.get_by_role("radio", name="Permanent impairment of N % whole person").check()
    page.get_by_label("MMI does not depend on any future treatment or event.").check()
    page.get_by_label("Rationale").fill("No material recovery expected: measures flat.")


def fill_item(page: Page, number: int, item: tuple[str, str, str, str]) -> None:
    region, level, value, method = item
    page.get_by_label(f"Region of item {number}", exact=True).fill(region)
    page.get_by_label(f"Level of item {number}", exact=True).select_option(level)
    page.get_by_label(f"Impairment (%) of item {number}", exact=True).fill(value)
    page.get_by_label(f"Guides table or figure of item {number}", exact=True).fill(method)


def whole_person_of_item(page: Page, number: int):
    return (
        page.get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=f"Item {number}", exact=True))
        .locator("output")
    )


def test_items_added_and_removed_in_place_are_rated_live_and_saved_as_shown(app):
    draft, url = outcome_step()
    page = app.page
    app.log_in("dr.chen")
    app.visit(url)
    answer_the_outcome(page)

    # One blank item to start with; the others come from the button, no save needed.
    expect(page.get_by_label("Region of item 2", exact=True)).to_have_count(0)
    fill_item(page, 1, ITEMS[0])
    for number, item in enumerate(ITEMS[1:], start=2):
        page.get_by_role("button", name="Add an item").click()
        expect(page.get_by_label(f"Region of item {number}", exact=True)).to_be_focused()
        fill_item(page, number, item)
    total = page.locator("[data-items-total]")
    # 8 ⊕ 5 = 12.6 → 13; 13 ⊕ 3 = 15.61 → 16.
    expect(total).to_contain_text("16 %")
    expect(whole_person_of_item(page, 1)).to_have_text("8 %")
    expect(whole_person_of_item(page, 3)).to_have_text("3 %")

    page.get_by_role("button", name="Remove item 2").click()
    expect(page.get_by_label("Region of item 3", exact=True)).to_have_count(0)
    expect(page.get_by_label("Region of item 2", exact=True)).to_have_value("Right foot")
    # 8 ⊕ 3 = 10.76 → 11.
    expect(total).to_contain_text("11 %")
    live = int(re.search(r"(\d+) %", total.inner_text()).group(1))
    # A total typed by hand is replaced by the computed one.
    page.get_by_label("Whole person impairment (%)").fill("20")

    app.audit("determination-impairment-items")
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("label[for='id_items-0-method']")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name=re.compile(r"^Save and review")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and sign")
    expect(page.get_by_role("status").filter(has_text="Outcome saved.")).to_contain_text(
        f"The whole person rating is {live} %, computed from the impairment items; "
        "the 20 typed in the rating box was replaced by it."
    )
    draft.refresh_from_db()
    assert draft.impairment_rating == live == 11
    saved = list(draft.impairment_items.values_list("region", "value"))
    assert saved == [("Left hand", 75), ("Right foot", 10)]


def test_a_wrong_item_is_marked_beside_its_field_at_both_widths(app):
    _, url = outcome_step()
    page = app.page
    app.log_in("dr.chen")
    app.visit(url)
    answer_the_outcome(page)
    fill_item(page, 1, ("Left hand", "index", "150", "Figure 16-31"))
    page.get_by_role("button", name="Add an item").click()
    fill_item(page, 2, ITEMS[1])
    # While typing nothing is marked, so the live rating names what is missing instead.
    expect(page.locator("#impairment-working")).to_contain_text(
        "Item 1: An impairment cannot be over 100 %."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    value = page.get_by_label("Impairment (%) of item 1", exact=True)
    expect(value).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_items-0-value_error")).to_have_text(
        "An impairment cannot be over 100 %."
    )
    expect(page.get_by_label("Region of item 2", exact=True)).not_to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.get_by_text("Correct the impairment items marked below").first).to_be_visible()
    app.audit("determination-impairment-items-marked")


def test_without_javascript_blank_items_and_a_remove_box_do_the_same(app_without_js):
    app = app_without_js
    draft, url = outcome_step()
    page = app.page
    app.log_in("dr.chen")
    app.visit(url)
    answer_the_outcome(page)
    expect(page.get_by_role("button", name="Add an item")).to_be_hidden()
    fill_item(page, 1, ITEMS[0])
    fill_item(page, 2, ITEMS[1])
    page.get_by_role("checkbox", name="Remove item 2").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome")
    draft.refresh_from_db()
    assert draft.impairment_rating == 8
    assert list(draft.impairment_items.values_list("region", flat=True)) == ["Left hand"]
    # Saved, the step brings two blank items again after the saved one.
    expect(page.get_by_label("Region of item 3", exact=True)).to_have_value("")
    app.audit("determination-impairment-items-without-javascript", axe=False)
