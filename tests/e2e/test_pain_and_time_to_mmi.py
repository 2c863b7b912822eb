"""Pain asked once on the assessment form, the chart taking the new point; Time to MMI
filtered, on a desktop and on a phone."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.domain.dates import day_label
from cases.models import Case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_case_tracking_the_nprs_asks_pain_once_and_charts_the_answer(app):
    page = app.page
    today = timezone.localdate()
    lisa = Case.objects.get(claim_number="GCC-2026-0202")  # tracks QuickDASH and the NPRS
    app.log_in("dr.chen")
    app.visit(reverse("assessment-add", args=[lisa.pk]))

    pain = page.get_by_role("textbox", name=re.compile(r"^Pain now"))
    expect(pain).to_have_count(1)
    expect(page.get_by_text("Pain now, 0–10 (NPRS)")).to_be_visible()
    expect(page.locator("[name='pain_score']")).to_have_count(0)
    app.audit("assessment-pain-once")

    page.locator("[name='date']").fill(str(today))
    pain.fill("3")
    page.get_by_role("textbox", name=re.compile(r"^QuickDASH")).fill("45")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("The assessment was saved.")).to_be_visible()

    point = page.locator("#outcome-charts circle title", has_text=f"{day_label(today)}: NPRS 3")
    expect(point).to_have_count(1)
    # The assessments table: pain now and the NPRS, one answer.
    row = page.locator("#assessments tr", has_text=day_label(today)).filter(has_text="NPRS 3")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell", name="3", exact=True)).to_have_count(1)
    app.audit("case-after-pain-answer")


def test_time_to_mmi_is_filtered_and_its_filters_fold_on_a_phone(app):
    page = app.page
    app.log_in("cm.jones")
    app.visit(reverse("time-to-mmi"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Time from injury to MMI")

    page.get_by_label("Jurisdiction", exact=True).select_option("TX")
    page.get_by_label("Body part", exact=True).select_option("lower_back")
    page.get_by_label("Reached MMI between: from").fill("2020-01-01")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text(re.compile(r"match(es)? these filters"))).to_be_visible()
    expect(page.get_by_text("Filters (in use)")).to_be_attached()
    app.audit("time-to-mmi-filtered")

    page.set_viewport_size({"width": 390, "height": 900})
    page.reload()
    filters = page.get_by_role("button", name="Apply")
    expect(filters).to_be_hidden()
    page.get_by_text("Filters (in use)").click()
    expect(filters).to_be_visible()
    app.assert_fits("Time to MMI at 390 px, filters open")

    page.get_by_label("Reached MMI between: to").fill("2019-01-01")
    filters.click()
    expect(page.get_by_text("The first date is after the second: swap them.")).to_be_visible()
