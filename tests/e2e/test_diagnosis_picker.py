"""The ICD-10 codes box without JavaScript: a plain text box whose codes the form checks
against the code set (the picker itself: tests/e2e/test_journeys.py)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_without_javascript_codes_are_typed_refused_with_the_reason_and_saved(app_without_js):
    app, page = app_without_js, app_without_js.page
    victor = Case.objects.get(claim_number="LSM-2026-0310")
    app.log_in("cm.jones")
    app.visit(reverse("case-edit", args=[victor.pk]))
    codes = page.get_by_role("textbox", name="ICD-10 codes")

    codes.fill("S43.432, m545")
    page.get_by_role("button", name="Save").click()
    block = page.locator("#div_id_case-diagnosis_codes")
    expect(block).to_contain_text(
        "S43.432 (Superior glenoid labrum lesion of left shoulder) needs a 7th character"
    )
    expect(block).to_contain_text("M54.50 Low back pain, unspecified; M54.51")
    app.audit("diagnosis-codes-refused-no-js", axe=False)

    codes.fill("s43432a, M54.50")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Case details saved.")).to_be_visible()
    expect(page.locator("#overview")).to_contain_text(
        "S43.432A Superior glenoid labrum lesion of left shoulder, initial encounter"
    )
    victor.refresh_from_db()
    assert victor.diagnosis_codes == "S43.432A,M54.50"
