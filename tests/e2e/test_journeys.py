"""What each kind of user does in a day, end to end in a real browser, on the demo data."""

import csv
import hashlib
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases import services
from cases.management.commands.seed_demo import DEMO_PASSWORD
from cases.models import Case, User
from cases.selectors.diagnoses import describe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def field(page: Page, name: str):
    """A case-form input by its field name (labels repeat words: "claim number")."""
    return page.locator(f"[name='{name}']")


# The first search of a process loads the ICD-10-CM code set: seconds on a busy machine.
CODE_SET_LOADS_MS = 60_000


def pick_diagnosis(page: Page, typed: str, code: str) -> None:
    """Type in the diagnosis picker, go down the matches with the arrow keys to ``code`` and
    pick it with Enter, as someone on a keyboard would."""
    page.get_by_role("combobox", name="ICD-10 codes").fill(typed)
    matches = page.get_by_role("listbox", name="Matching codes").get_by_role("option")
    expect(matches.first).to_be_visible(timeout=CODE_SET_LOADS_MS)
    position = [text.split()[0] for text in matches.all_inner_texts()].index(code)
    for _ in range(position + 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("list", name="Codes picked, the primary first")).to_contain_text(code)


def fill_new_case(page: Page, *, claim: str, injured_on: str) -> None:
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Quinn")
    page.get_by_label("Date of birth").fill("1984-02-03")
    field(page, "case-claim_number").fill(claim)
    field(page, "case-jurisdiction").select_option("TX")
    field(page, "case-date_of_injury").fill(injured_on)
    field(page, "case-body_part").select_option("knee")
    pick_diagnosis(page, "S83.511A", "S83.511A")
    field(page, "case-injury_description").fill("Slipped on a wet ramp <b>twisting</b> her knee.")
    field(page, "case-employer").select_option(label="Alamo Freight Lines")
    field(page, "case-insurer").select_option(label="Lone Star Mutual")
    page.get_by_role("checkbox", name="Emily Chen").check()
    page.get_by_role("checkbox", name=re.compile(r"^LEFS")).check()


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_case_manager_goes_from_the_board_to_a_case_assigns_a_clinician_and_opens_a_case(app):
    page = app.page
    app.log_in("cm.jones")
    expect(page.get_by_role("heading", name="MMI status board")).to_be_visible()

    row = page.locator("section.worklist tbody tr").first
    claim = row.get_by_role("link").inner_text()
    reason = row.locator("td").last.inner_text()
    assert reason.strip(), "a worklist row says why the case is listed"
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(claim)

    page.get_by_role("link", name="Edit case details").click()
    care_team = page.get_by_role("checkbox", name="Raj Patel")
    care_team.check()
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Case details saved.")
    expect(page.locator("#overview")).to_contain_text("Raj Patel")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="Open a case").click()
    fill_new_case(page, claim="LSM-2026-9001", injured_on=str(timezone.localdate()))
    page.get_by_role("button", name="Save").click()
    expect_message(page, "Case LSM-2026-9001 opened.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nora Quinn")
    # What was typed is shown as text, never as markup.
    expect(page.locator("#overview")).to_contain_text("<b>twisting</b>")
    app.audit("journey-case-opened")


def test_refused_form_keeps_what_was_typed_and_says_why_next_to_the_field(app):
    page = app.page
    app.log_in("cm.jones")
    app.visit(reverse("case-open"))
    tomorrow = str(timezone.localdate() + timedelta(days=1))
    fill_new_case(page, claim="LSM-2026-9002", injured_on=tomorrow)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("alert")).to_contain_text("The case was not opened")
    injury = field(page, "case-date_of_injury")
    expect(injury).to_have_attribute("aria-invalid", "true")
    described_by = injury.get_attribute("aria-describedby") or ""
    message = page.locator(", ".join(f"[id='{i}']" for i in described_by.split()))
    expect(message).to_contain_text(["The date of injury cannot be in the future."])
    # The message sits in the field's own block, not only at the top of the page.
    expect(page.locator("#div_id_case-date_of_injury")).to_contain_text("cannot be in the future")

    expect(injury).to_have_value(tomorrow)
    expect(page.get_by_label("First name")).to_have_value("Nora")
    expect(field(page, "case-claim_number")).to_have_value("LSM-2026-9002")
    expect(field(page, "case-body_part")).to_have_value("knee")
    expect(field(page, "case-insurer").locator("option:checked")).to_have_text("Lone Star Mutual")
    expect(field(page, "case-injury_description")).to_have_value(
        "Slipped on a wet ramp <b>twisting</b> her knee."
    )
    expect(page.get_by_role("checkbox", name="Emily Chen")).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^LEFS"))).to_be_checked()
    expect(page.get_by_role("list", name="Codes picked, the primary first")).to_contain_text(
        "S83.511A Sprain of anterior cruciate ligament of right knee, initial encounter"
    )
    assert not Case.objects.filter(claim_number="LSM-2026-9002").exists()
    app.audit("case-open-refused")


def test_case_manager_picks_a_diagnosis_by_its_words_and_sees_it_described(app):
    page = app.page
    app.log_in("cm.jones")
    victor = Case.objects.get(claim_number="LSM-2026-0310")
    app.visit(reverse("case-edit", args=[victor.pk]))
    saved = victor.diagnosis_code_list[0]
    picked = page.get_by_role("list", name="Codes picked, the primary first")
    # The saved code, described, with a button to take it off.
    expect(picked.get_by_role("listitem").first).to_contain_text(f"{saved} {describe(saved)}")

    page.get_by_role("combobox", name="ICD-10 codes").fill("glenoid labrum left")
    matches = page.get_by_role("listbox", name="Matching codes").get_by_role("option")
    expect(matches.first).to_be_visible(timeout=CODE_SET_LOADS_MS)
    expect(matches).to_have_count(3)  # initial encounter, subsequent, sequela
    app.audit("diagnosis-picker-matches")
    pick_diagnosis(page, "glenoid labrum left", "S43.432A")
    picked.get_by_role("button", name=f"Remove {saved}").click()
    expect(picked).not_to_contain_text(saved)
    app.audit("diagnosis-picker-picked")
    page.get_by_role("button", name="Save").click()

    expect_message(page, "Case details saved.")
    expect(page.locator("#overview")).to_contain_text(
        "S43.432A Superior glenoid labrum lesion of left shoulder, initial encounter"
    )
    victor.refresh_from_db()
    assert victor.diagnosis_codes == "S43.432A"
    app.audit("diagnosis-described")


@pytest.mark.pdf  # reads the PDF it downloads
def test_adjuster_reads_their_insurers_cases_downloads_a_signed_report_and_sees_no_draft(app):
    page = app.page
    app.log_in("adj.lonestar")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lone Star Mutual")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    # Read the rows once the list has loaded: all_inner_texts() does not wait for them.
    expect(page.locator("table.case-table tbody tr").first).to_be_visible()
    claims = page.locator("table.case-table tbody tr").get_by_role("link").all_inner_texts()
    assert claims, "the adjuster's case list is not empty"
    assert all(claim.startswith("LSM-") for claim in claims), claims

    # A signed certification, from the open dispute on the home page.
    page.get_by_role("link", name="Home").click()
    page.get_by_role("region", name="Open disputes").get_by_role(
        "link", name="LSM-2026-0306"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Carlos Vega")
    page.get_by_role("region", name="MMI determinations").get_by_role("link", name="v1").click()
    filename, text = app.download_pdf_text("MMI certification v1")
    assert filename == "MMI-LSM-2026-0306-v1.pdf"
    assert "Carlos Vega" in text and "LSM-2026-0306" in text
    assert "DRAFT" not in text

    # Dr Chen has started, not signed, a determination for Maria S.: the adjuster neither
    # sees it nor reaches it.
    maria = Case.objects.get(claim_number="LSM-2026-0102")
    draft = services.determination_start(
        case=maria, started_by=User.objects.get(username="dr.chen")
    )
    app.visit(reverse("case-detail", args=[maria.pk]))
    determinations = page.get_by_role("region", name="MMI determinations")
    expect(determinations).not_to_contain_text("Draft")
    expect(determinations.get_by_role("link")).to_have_count(0)
    response = app.visit(reverse("determination-detail", args=[draft.pk]))
    assert response is not None and response.status == 404

    other = Case.objects.get(claim_number="GCC-2026-0201")
    response = app.visit(reverse("case-detail", args=[other.pk]))
    assert response is not None and response.status == 404
    expect(page.get_by_text("Alex Thompson")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    app.audit("adjuster-not-found")


def test_adjuster_exports_every_case_in_the_list_watches_the_zip_being_built_and_downloads_it(
    app, e2e_settings
):
    # As with no broker: the build runs in a thread after the click has been answered.
    e2e_settings.REPORT_EXPORTS_IN_THREAD = True
    page = app.page
    app.log_in("adj.lonestar")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()

    page.get_by_role("checkbox", name="Tick every case on this page to export").check()
    ticked = page.locator("input[data-export-case]")
    assert ticked.count() > 0
    for index in range(ticked.count()):
        expect(ticked.nth(index)).to_be_checked()
    notice = page.get_by_role("status").filter(has_text="on this page are ticked")
    notice.get_by_role("button", name=re.compile(r"^Choose all \d+ cases in the list")).click()
    expect(
        page.get_by_role("radio", name=re.compile(r"cases in the list, on every page"))
    ).to_be_checked()
    expect(page.get_by_role("status").filter(has_text="on every page")).to_be_visible()
    app.audit("adjuster-export-choice")
    page.get_by_role("button", name="Export", exact=True).click()

    # The click is answered before the ZIP is built; the page polls and the bar fills.
    expect(page.get_by_text("every case in the case list")).to_be_visible()
    progress = page.get_by_role("region", name="Export progress")
    bar = progress.get_by_role("progressbar", name="Certifications checked")
    first = progress.inner_text()
    assert "Queued" in first or "Building" in first, first
    seen = [int(bar.get_attribute("value"))]
    app.audit("adjuster-export-building", axe=False)  # the page changes under axe as it polls
    for _ in range(600):
        text = progress.inner_text()
        assert "Failed" not in text, text
        if "Ready to download" in text:
            break
        seen.append(int(bar.get_attribute("value")))
        page.wait_for_timeout(200)
    expect(progress).to_contain_text("Ready to download")
    total = int(bar.get_attribute("max"))
    expect(bar).to_have_attribute("value", str(total))
    assert seen[0] < total and seen == sorted(seen), seen
    expect(progress.get_by_role("heading", name=re.compile(r"^Left out: \d+ case"))).to_be_visible()
    expect(progress.get_by_role("cell", name="No signed MMI certification").first).to_be_visible()
    app.audit("adjuster-export-done")

    with page.expect_download() as download_info:
        progress.get_by_role("link", name="Download the ZIP").click()
    archive = zipfile.ZipFile(Path(download_info.value.path()))
    names = archive.namelist()
    assert "manifest.csv" in names
    assert "MMI-LSM-2026-0101-v1.pdf" in names, names
    assert not any("GCC-" in name for name in names), names
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert len(manifest) == sum(name.endswith(".pdf") for name in names)
    for row in manifest:
        assert row["Claim number"].startswith("LSM-"), row
        assert hashlib.sha256(archive.read(row["File"])).hexdigest() == row["SHA-256"]


def press_tab_until(page: Page, selector: str, *, limit: int = 120) -> None:
    """Move focus with the Tab key alone until the element matching selector has it, and
    check that focus is visible there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            shadow = page.evaluate("() => getComputedStyle(document.activeElement).boxShadow")
            assert outline != "none" or shadow != "none", f"focus on {selector} is invisible"
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose_with_arrow_keys(page: Page, radio: str, *, limit: int = 10) -> None:
    """In a focused radio group, move with the arrow keys until this radio is chosen."""
    for _ in range(limit):
        if page.evaluate("s => document.querySelector(s).checked", radio):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"the arrow keys never chose {radio}")


@pytest.mark.pdf  # reads the PDF it downloads
def test_clinician_records_scores_walks_the_determination_signs_and_reads_the_pdf(app):
    page = app.page
    today = timezone.localdate()
    app.log_in("dr.chen")

    # The case: Lisa R., whose shoulder has stopped improving.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_label("Patient name, claim number or date of birth").fill("Reed")
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("link", name="GCC-2026-0202").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lisa Reed")

    page.get_by_role("link", name="Record an assessment").click()
    # Jargon is explained where it is used.
    expect(page.get_by_text("MCID (smallest change that matters)").first).to_be_visible()
    page.locator("[name='date']").fill(str(today))
    page.get_by_role("textbox", name=re.compile(r"^QuickDASH")).fill("47")
    page.get_by_role("textbox", name=re.compile(r"^Pain now")).fill("5")
    page.get_by_label("Objective findings").fill("Painful arc unchanged; strength 4/5.")
    page.get_by_role("button", name="Save assessment").click()
    expect_message(page, "The assessment was saved.")

    page.get_by_role("button", name="Start MMI determination").click()
    expect_message(page, "MMI determination v1 started.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1: Clinical evaluation")
    app.audit("determination-step-1")
    page.get_by_label("Exam date").fill(str(today))
    page.get_by_label("History").fill("Fell from a ladder; physiotherapy and two injections.")
    page.get_by_label("Examination findings").fill("Painful arc 70–120°; no atrophy.")
    page.get_by_label("Psychological readiness to return to work").select_option("ready")
    page.get_by_role("button", name=re.compile(r"^Save and continue")).click()

    # Step 2 with the keyboard alone.
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 2: Therapy response")
    # The evidence that recovery has levelled off, beside the form.
    expect(page.get_by_text("Plateau candidate").first).to_be_visible()
    plateau_reason = re.compile(r"QuickDASH: \d+ → \d+ over \d+ weeks")
    expect(page.get_by_text(plateau_reason).first).to_be_visible()
    app.audit("determination-step-2")
    press_tab_until(page, "[name='interpretation']")
    page.keyboard.type("QuickDASH flat at 47-49 for three months despite therapy.")
    press_tab_until(page, "[name='improving_under_authorised_treatment']")
    choose_with_arrow_keys(page, "[name='improving_under_authorised_treatment'][value='no']")
    expect(page.get_by_role("radio", name="No")).to_be_checked()
    press_tab_until(page, "button[value='next']")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Step 3: Diagnostic testing")
    app.audit("determination-step-3")
    page.get_by_role("radio", name="Reviewed: stable").check()
    page.get_by_label("Objective findings that support any impairment").fill(
        "MRI: partial-thickness supraspinatus tear."
    )
    page.get_by_role("button", name=re.compile(r"^Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Step 4: Expert consultation")
    app.audit("determination-step-4")
    expect(page.get_by_text("designated doctor's opinion has presumptive weight")).to_be_visible()
    # A consultation missing from the record is added from the step, which it comes back to.
    page.get_by_role("link", name="Add a consultation").click()
    expect(page).to_have_url(re.compile(r"/consultations/add/\?next="))
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 4: Expert consultation")
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name=re.compile(r"^Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Step 5: Legal and insurance")
    app.audit("determination-step-5")
    expect(page.get_by_text("statutory MMI (set by law)")).to_be_visible()
    certifier = page.get_by_role("combobox", name=re.compile(r"^Certifying doctor"))
    certifier.select_option(label="Emily Chen")
    page.get_by_label("The certifying doctor's role").select_option(index=1)
    page.get_by_label("Clinical or statutory MMI").select_option("clinical")
    page.get_by_label("Rating guides used").select_option(label="AMA Guides, 4th edition")
    page.get_by_role("button", name=re.compile(r"^Save and continue")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome")
    app.audit("determination-outcome")
    page.get_by_role("radio", name="Yes: at MMI").check()
    page.get_by_label("MMI date").fill(str(today + timedelta(days=1)))
    page.get_by_role("radio", name="Permanent impairment of N % whole person").check()
    page.get_by_label("Whole person impairment (%)").fill("5")
    page.get_by_label("MMI does not depend on any future treatment or event.").check()
    page.get_by_label("Rationale").fill("No material recovery expected: measures flat.")
    page.get_by_role("button", name=re.compile(r"^Save and review")).click()
    expect(
        page.get_by_text(re.compile(r"is after the exam date .*: MMI cannot be certified"))
    ).to_be_visible()
    expect(page.get_by_label("Rationale")).to_have_value(
        "No material recovery expected: measures flat."
    )
    page.get_by_label("MMI date").fill(str(today))
    page.get_by_label("Whole person impairment (%)").fill("5")
    page.get_by_label("Rationale").fill("No material recovery expected: measures flat.")
    page.get_by_role("button", name=re.compile(r"^Save and review")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Review and sign")
    checklist = page.get_by_role("region", name="Validity checklist")
    expect(checklist).to_contain_text("Passed:")
    expect(checklist).not_to_contain_text("Failed:")
    about_to_sign = page.locator(".about-to-sign")
    expect(about_to_sign).to_contain_text("What you are about to certify")
    expect(about_to_sign).to_contain_text("5 %")
    app.audit("determination-review")
    page.get_by_label("Your password").fill("not-my-password")
    page.get_by_role("checkbox", name=re.compile(r"^I certify")).check()
    page.get_by_role("button", name="Sign the certification").click()
    expect(page.get_by_text("That is not your password. Nothing was signed.")).to_be_visible()
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("checkbox", name=re.compile(r"^I certify")).check()
    page.get_by_role("button", name="Sign the certification").click()
    expect_message(page, "MMI determination v1 is signed.")
    app.audit("determination-signed")
    signed_url = page.url

    # Signed means read-only: the steps no longer take changes.
    signed_id = re.search(r"/determinations/(\d+)/", signed_url).group(1)
    refused = app.visit(reverse("determination-step", args=[signed_id, "outcome"]))
    assert refused.status == 409
    expect(page.get_by_text("it can no longer be edited")).to_be_visible()
    page.goto(signed_url)

    filename, text = app.download_pdf_text("MMI certification v1")
    assert filename == "MMI-GCC-2026-0202-v1.pdf"
    for expected in ["Lisa Reed", "GCC-2026-0202", "Emily Chen", "5 %", "Gulf Coast Casualty"]:
        assert expected in text, f"{expected!r} missing from the certification"
    assert "DRAFT" not in text

    # An amendment starts from the signed version and, once signed, supersedes it.
    page.get_by_role("button", name="Amend (new version)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1: Clinical evaluation")
    amendment_id = re.search(r"/determinations/(\d+)/", page.url).group(1)
    app.visit(reverse("determination-review", args=[amendment_id]))
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("checkbox", name=re.compile(r"^I certify")).check()
    page.get_by_role("button", name="Sign the certification").click()
    expect_message(page, "MMI determination v2 is signed.")
    page.goto(signed_url)
    expect(page.get_by_text("Superseded:")).to_be_visible()
    expect(page.get_by_role("link", name="v2", exact=True).first).to_be_visible()
