"""PDF reports: what each one says (read back with pypdf), drafts, signed copies that never
change, and who may download what."""

import base64
import hashlib
import io
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessLogEntry
from cases import services
from cases.domain.outcomes import instrument_by_abbreviation
from cases.models import Case, Determination, ImmutableReport, ImpairmentItem, IssuedReport, User
from cases.reports.charts import progress_chart
from cases.reports.issuing import determination_reports_issue
from cases.reports.official.filling import form_field_values
from tests.support.cast import client_for
from tests.support.determinations import signed_determination
from tests.support.reports import (
    TODAY,
    determination,
    fill_record,
    name_the_parties,
    pages,
    squeezed,
    text,
)


@pytest.fixture
def record(cast):
    name_the_parties(cast.case)
    fill_record(cast.case, cast.clinician)
    return cast


@pytest.fixture
def signed(record):
    return determination(
        record.case,
        record.clinician,
        steps={
            "clinical": {"objective_findings": "Flexion 40 degrees; straight leg raise negative."}
        },
    )


def download(user, name: str, pk: int):
    return client_for(user).get(reverse(name, args=[pk]))


def narrative(pdf: bytes) -> list[str]:
    """The pages of our own report: a Texan certification opens with the state's DWC069,
    whose pages are the state's (tests/cases/reports/test_official_forms.py)."""
    return [page for page in pages(pdf) if "DWC069 Rev. 01/15" not in page]


def narrative_only(case: Case) -> None:
    """Move the case out of Texas, whose documents are its own forms
    (tests/cases/reports/test_official_forms.py): the test is of our own report."""
    Case.objects.filter(pk=case.pk).update(jurisdiction="FL")
    case.refresh_from_db()


# --- The certification -------------------------------------------------------------------


@pytest.mark.pdf
def test_signed_certification_carries_every_field_of_the_dwc069_model(record, signed):
    response = download(record.adjuster, "report-certification", signed.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = text(response.content)
    exam = f"{signed.exam_date.day} {signed.exam_date:%b %Y}"
    for expected in [
        "Lone Star Mutual",  # carrier
        "Alamo Freight Lines",  # employer
        "John Davis",  # employee
        record.case.claim_number,
        "DWC-26-118204",
        f"{record.case.date_of_injury.day} {record.case.date_of_injury:%b %Y}",
        "Emily Chen",  # certifying doctor
        record.clinician.licence_number,
        "Doctor of Medicine (MD)",
        "Treating doctor",
        f"Exam date {exam}",
        "Clinical MMI reached on " + exam,
        "7 %",
        "4th",
        "ODI unchanged beyond its MCID for eight weeks",
        "No lifting over 20 lb.",
        "Home exercise programme",
        "Flexion 40 degrees",  # step 1 answers
        "Dr. Helen Ward",  # expert opinion
        "L4-L5 disc protrusion",  # diagnostics reviewed
        "Lumbar stabilisation block 1",  # therapy response
        "ODI scores and change from baseline",  # the chart's table
        "Signed electronically by",
    ]:
        assert expected in body, expected
    assert "DRAFT" not in body
    # The diagnosis codes, each with its ICD-10-CM description.
    for diagnosis in [
        "M54.50 Low back pain, unspecified",
        "S33.5XXA Sprain of ligaments of lumbar spine, initial encounter",
    ]:
        assert squeezed(diagnosis) in squeezed(body), diagnosis
    assert "not a billable code" not in body


@pytest.mark.pdf
def test_worksheet_shows_the_itemised_impairments_and_how_they_combine(record):
    signed = determination(record.case, record.clinician, status=Determination.Status.DRAFT)
    for position, (region, value) in enumerate([("Lumbar spine", 5), ("Cervical spine", 3)]):
        ImpairmentItem.objects.create(
            determination=signed,
            position=position,
            region=region,
            level="whole_person",
            value=value,
            method="Table 15-3, DRE category II",
        )

    body = text(download(record.clinician, "report-certification", signed.pk).content)

    assert "Lumbar spine" in body and "Table 15-3, DRE category II" in body
    assert "Whole person: 8 %." in body


@pytest.mark.pdf
def test_certification_not_at_mmi_gives_the_expected_date(record):
    not_yet = determination(record.case, record.clinician, mmi_reached=False)

    body = text(download(record.case_manager, "report-certification", not_yet.pk).content)

    assert "Not at MMI, expected on or about 1 Mar 2027" in body


@pytest.mark.pdf
def test_every_page_has_the_claim_the_patient_and_page_x_of_y(record, signed):
    response = download(record.clinician, "report-certification", signed.pk)

    all_pages = narrative(response.content)
    assert len(all_pages) > 1
    for number, page in enumerate(all_pages, start=1):
        assert f"Claim {record.case.claim_number}" in page
        assert "John Davis" in page
        assert f"Page {number} of {len(all_pages)}" in page
        assert "Generated" in page


@pytest.mark.pdf
def test_draft_is_watermarked_on_every_page_for_the_care_team(record):
    draft = determination(record.case, record.clinician, status=Determination.Status.DRAFT)

    response = download(record.clinician, "report-certification", draft.pk)

    assert response.status_code == 200
    assert (
        f'filename="MMI-{record.case.claim_number}-v1-DRAFT.pdf"'
        in (response["Content-Disposition"])
    )
    for page in pages(response.content):
        assert "DRAFT — not signed" in page
    assert "Not signed." in text(response.content)
    assert not IssuedReport.objects.exists()  # drafts are never issued


@pytest.mark.pdf
def test_draft_letter_is_watermarked_too(record):
    draft = determination(record.case, record.clinician, status=Determination.Status.DRAFT)

    response = download(record.case_manager, "report-patient-letter", draft.pk)

    for page in pages(response.content):
        assert "DRAFT — not signed" in page


@pytest.mark.pdf
def test_draft_with_no_step_completed_still_renders(record):
    empty = determination(
        record.case,
        record.clinician,
        status=Determination.Status.DRAFT,
        mmi_reached=None,
        exam_date=None,
        diagnosis_codes="",
        certifier_role="",
        guides_edition="",
    )

    body = text(download(record.clinician, "report-certification", empty.pk).content)

    assert "Not decided yet" in body
    assert "Not completed yet." in body


@pytest.mark.pdf
def test_superseded_version_says_so_and_names_the_version_that_replaced_it(record):
    first = determination(record.case, record.clinician, status=Determination.Status.SUPERSEDED)
    determination(record.case, record.clinician, version=2, supersedes=first)

    body = text(download(record.adjuster, "report-certification", first.pk).content)

    assert "SUPERSEDED" in body
    assert "It was replaced by version 2" in body


@pytest.mark.pdf
def test_amended_version_says_which_version_it_replaces(record):
    first = determination(record.case, record.clinician, status=Determination.Status.SUPERSEDED)
    second = determination(record.case, record.clinician, version=2, supersedes=first)

    body = text(download(record.adjuster, "report-certification", second.pk).content)

    assert "amends and replaces version 1" in body


# --- Issued once, identical bytes ever after ---------------------------------------------


def test_signed_certification_downloads_as_identical_bytes_matching_the_stored_hash(record, signed):
    first = download(record.adjuster, "report-certification", signed.pk)
    second = download(record.clinician, "report-certification", signed.pk)

    assert first.content == second.content
    issued = IssuedReport.objects.get(determination=signed, kind=IssuedReport.Kind.CERTIFICATION)
    assert hashlib.sha256(first.content).hexdigest() == issued.sha256
    assert issued.read_pdf() == first.content
    digest = base64.b64encode(bytes.fromhex(issued.sha256)).decode()
    assert first["Repr-Digest"] == f"sha-256=:{digest}:"
    assert f'filename="MMI-{record.case.claim_number}-v1.pdf"' in first["Content-Disposition"]


@pytest.mark.pdf
def test_footer_asks_to_compare_the_file_hash_and_prints_no_other(record, signed):
    pdf = download(record.adjuster, "report-certification", signed.pk).content

    issued = IssuedReport.objects.get(determination=signed, kind=IssuedReport.Kind.CERTIFICATION)
    assert all(issued.content_sha256 not in squeezed(page) for page in pages(pdf))
    assert any("compareitsfile'sSHA-256" in squeezed(page) for page in pages(pdf))


def test_signing_issues_the_certification_and_the_letter_once(record, signed):
    issued = determination_reports_issue(determination=signed)
    again = determination_reports_issue(determination=signed)

    assert [report.kind for report in issued] == ["certification", "patient_letter"]
    assert [report.pk for report in again] == [report.pk for report in issued]
    assert {report.issued_by for report in issued} == {record.clinician}
    letter = download(record.adjuster, "report-patient-letter", signed.pk)
    assert letter.content == issued[1].read_pdf()


def test_issued_reports_refuse_change_and_deletion(record, signed):
    download(record.adjuster, "report-certification", signed.pk)
    issued = IssuedReport.objects.get(kind=IssuedReport.Kind.CERTIFICATION)

    issued.sha256 = "0" * 64
    with pytest.raises(ImmutableReport):
        issued.save()
    with pytest.raises(ImmutableReport):
        issued.delete()
    with pytest.raises(ImmutableReport):
        IssuedReport.objects.update(sha256="0" * 64)
    with pytest.raises(ImmutableReport):
        IssuedReport.objects.all().delete()


def test_issued_reports_are_read_only_in_the_admin(record, signed):
    download(record.adjuster, "report-certification", signed.pk)
    request = RequestFactory().get("/")
    request.user = record.admin
    admin = site._registry[IssuedReport]

    issued = IssuedReport.objects.get(kind=IssuedReport.Kind.CERTIFICATION)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, issued)
    assert not admin.has_delete_permission(request, issued)


@pytest.mark.pdf
def test_fonts_are_embedded_from_the_project_not_the_machine(record, signed):
    pdf = download(record.adjuster, "report-certification", signed.pk).content

    fonts = set()
    reader = PdfReader(io.BytesIO(pdf))
    for page, words in zip(reader.pages, pages(pdf), strict=True):
        if "DWC069 Rev. 01/15" in words:
            continue  # the state's form, as published
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # embedded
            fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert fonts and all(name.startswith(("Report-Sans", "sans-serif")) for name in fonts), fonts


# --- The letter to the patient ----------------------------------------------------------


@pytest.mark.pdf
def test_letter_puts_the_outcome_in_plain_words_with_the_dispute_deadline(record, signed):
    body = text(download(record.adjuster, "report-patient-letter", signed.pk).content)

    assert "Dear John," in body
    assert (
        "Your recovery has reached a stable point: more of the same treatment is unlikely "
        "to change it much" in body
    )
    assert "not a cure" in body
    assert "care can continue" in body.lower()
    assert "second opinion" in body
    deadline = TODAY() + timedelta(days=90)  # Texas §408.123(e), from the letter's date
    assert f"dispute it by {deadline.day} {deadline:%b %Y}" in body


@pytest.mark.pdf
def test_letter_without_a_known_dispute_window_says_whom_to_ask(record):
    record.case.jurisdiction = "NY"
    record.case.save()
    signed = determination(record.case, record.clinician)

    body = text(download(record.clinician, "report-patient-letter", signed.pk).content)

    assert "Ask your adjuster or the state agency" in body


@pytest.mark.pdf
def test_letter_when_still_improving_says_so(record):
    not_yet = determination(record.case, record.clinician, mmi_reached=False)

    body = text(download(record.clinician, "report-patient-letter", not_yet.pk).content)

    assert "You are still getting better with treatment" in body
    assert "1 Mar 2027" in body


# --- Case summary and the employer's work status report -----------------------------------


@pytest.mark.pdf
def test_case_summary_shows_the_whole_case(record, signed):
    determination(record.case, record.clinician, version=2, status=Determination.Status.DRAFT)
    Case.objects.filter(pk=record.case.pk).update(
        representative_name="Elena Ruiz, Ruiz & Ortega Law",
        representative_address="401 Congress Ave\nAustin, TX 78701",
    )

    response = download(record.adjuster, "report-case-summary", record.case.pk)

    assert response.status_code == 200
    assert (
        f'filename="Case-summary-{record.case.claim_number}-' in (response["Content-Disposition"])
    )
    body = text(response.content)
    for expected in [
        "John Davis",
        record.case.claim_number,
        "Lone Star Mutual",
        "Alamo Freight Lines",
        "Employee's representative Elena Ruiz, Ruiz & Ortega Law",
        "401 Congress Ave",
        "Timeline",
        "Lumbar stabilisation block 2",
        "ODI 60",
        "ODI scores and change from baseline",
        "May return to work with restrictions as of",
        "lift, max 20 lb",
        "v1",
    ]:
        assert expected in body, expected
    assert squeezed("M54.50 Low back pain, unspecified") in squeezed(body)
    # The certification's codes are named as the case's are, not printed bare.
    assert squeezed(
        "Diagnosis codes certified (ICD-10) M54.50 Low back pain, unspecified"
    ) in squeezed(body)
    assert "v2" not in body  # drafts are not part of the record a summary reports


@pytest.mark.pdf
def test_employer_copy_shows_the_restrictions_and_no_diagnosis(record, signed):
    narrative_only(record.case)
    response = download(record.case_manager, "report-work-status", record.case.pk)

    assert response.status_code == 200
    body = text(response.content)
    for expected in [
        "Work status report",
        "John Davis",
        "Alamo Freight Lines",
        "May return to work with restrictions as of",
        "lift, occasionally",
        "at most 20 lb",
        "bend, at most 1 hour a day (permanent)",
        "No driving after taking the evening dose.",
        "Light (US Department of Labor)",
    ]:
        assert expected in body, expected
    for diagnosis in [
        "M54",
        "S33",
        "ICD",
        "disc protrusion",
        "radiculopathy",  # the status's own explanation may name the condition
        "Lifted a 70 lb crate",
        "Lower back",
        "Paraspinal",
        "Low back pain",  # nor the code's description
        "Sprain of ligaments",
    ]:
        assert diagnosis.lower() not in body.lower(), diagnosis


def test_each_state_of_the_case_downloaded_is_a_new_issued_version(
    record, django_capture_on_commit_callbacks
):
    narrative_only(record.case)
    first = download(record.case_manager, "report-work-status", record.case.pk)
    again = download(record.adjuster, "report-work-status", record.case.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_update(case=record.case, state_claim_number="DWC-26-999999")
    changed = download(record.adjuster, "report-work-status", record.case.pk)

    versions = IssuedReport.objects.filter(kind=IssuedReport.Kind.WORK_STATUS).order_by("version")
    assert [(r.version, r.issued_by) for r in versions] == [
        (1, record.case_manager),  # its first downloader
        (2, record.adjuster),
    ]
    assert first.content == again.content == versions[0].read_pdf()
    assert changed.content == versions[1].read_pdf() != first.content


def test_work_status_report_of_a_case_without_a_work_status_is_404(cast):
    assert download(cast.case_manager, "report-work-status", cast.case.pk).status_code == 404


# --- Who may download what ----------------------------------------------------------------

SEES_CASE = {
    "clinician": 200,
    "other_clinician": 404,
    "case_manager": 200,
    "other_case_manager": 404,
    "adjuster": 200,
    "other_adjuster": 404,
    "admin": 200,
    "anonymous": 302,
}
SEES_DRAFTS = {**SEES_CASE, "adjuster": 404}


def statuses(cast, name: str, pk: int) -> dict[str, int]:
    url = reverse(name, args=[pk])
    return {role: client_for(user).get(url).status_code for role, user in cast.roles().items()}


@pytest.mark.parametrize("name", ["report-certification", "report-patient-letter"])
def test_signed_documents_are_for_everyone_who_sees_the_case(record, signed, name):
    assert statuses(record, name, signed.pk) == SEES_CASE


@pytest.mark.parametrize("name", ["report-certification", "report-patient-letter"])
def test_drafts_are_for_the_care_team_and_case_manager_never_the_adjuster(record, name):
    draft = determination(record.case, record.clinician, status=Determination.Status.DRAFT)

    assert statuses(record, name, draft.pk) == SEES_DRAFTS


@pytest.mark.parametrize("name", ["report-case-summary", "report-work-status"])
def test_case_reports_are_for_everyone_who_sees_the_case(record, name):
    assert statuses(record, name, record.case.pk) == SEES_CASE


def test_downloads_are_get_only(record, signed):
    response = client_for(record.adjuster).post(reverse("report-certification", args=[signed.pk]))

    assert response.status_code == 405


def test_every_download_is_logged_with_who_and_which_version(record, signed):
    download(record.adjuster, "report-certification", signed.pk)
    download(record.case_manager, "report-work-status", record.case.pk)

    entries = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REPORT_DOWNLOAD)
    details = {entry.username: entry.detail for entry in entries}
    assert details[record.adjuster.username].startswith("MMI certification v1, signed")
    assert details[record.case_manager.username].startswith("Work status report (employer copy) v1")
    assert all(entry.case_id == record.case.pk for entry in entries)


def test_refused_downloads_are_not_logged(record, signed):
    download(record.other_adjuster, "report-certification", signed.pk)

    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.REPORT_DOWNLOAD)


# --- Through the real signing flow, and the demo --------------------------------------------


def test_signing_renders_the_certification_once_and_downloads_return_those_bytes(
    cast, django_capture_on_commit_callbacks
):
    fill_record(cast.case, cast.clinician)
    with django_capture_on_commit_callbacks(execute=True):
        signed = signed_determination(cast.case, cast.clinician)

    issued = IssuedReport.objects.get(determination=signed, kind=IssuedReport.Kind.CERTIFICATION)
    assert issued.issued_by == cast.clinician
    assert issued.issued_at >= signed.signed_at
    response = download(cast.adjuster, "report-certification", signed.pk)
    assert response.content == issued.read_pdf()
    assert IssuedReport.objects.filter(determination=signed).count() == 2  # and the letter


@pytest.mark.pdf
def test_demo_adjuster_downloads_john_davis_signed_certification(db):
    call_command("seed_demo", stdout=io.StringIO())
    john = Case.objects.get(claim_number="LSM-2026-0101")
    adjuster = User.objects.get(username="adj.lonestar")
    signed = john.determinations.get(status=Determination.Status.SIGNED)

    certification = download(adjuster, "report-certification", signed.pk)
    employer_copy = download(adjuster, "report-work-status", john.pk)

    body = text(certification.content)
    # John's certification: one DRE item, 5 % whole person (docs/domain.md §3).
    for expected in [
        "John Davis",
        "Lone Star Mutual",
        "DWC-26-118204",
        "Clinical MMI",
        "Permanent impairment of 5 % whole person",
        "MMI does not depend on any future treatment or event.",
    ]:
        assert expected in body, expected
    assert "7 %" not in body
    assert "Signed electronically" in body and "DRAFT" not in body
    # John is Texan: his employer copy is the DWC073, its values in its fields.
    employer = form_field_values(employer_copy.content)
    printed = f"{text(employer_copy.content)} {' '.join(employer.values())}"
    # The 20 lb lift limit: in box 18a, or in words on an "other" line.
    assert employer.get("18a. max pounds") == "20" or "20 lb" in printed
    assert "M54" not in printed and "disc protrusion" not in printed


def test_a_measure_without_scores_gets_a_sentence_not_an_empty_chart_or_table():
    chart = progress_chart(instrument_by_abbreviation("NDI"), [])
    html = render_to_string("cases/partials/progress_chart.html", {"chart": chart})
    assert "<svg" not in html and "<table" not in html
    assert "No NDI score recorded yet: there is nothing to chart." in html
