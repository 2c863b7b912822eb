"""Every document tells the story of the signed record: the certification, the case summary
and the employer's work status report agree on the restrictions and the diagnosis after a
signing, an amendment and a re-opening."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Determination, WorkRestriction, WorkStatus
from cases.models.reports import PreparedReport
from cases.reports.work_status import work_status_report
from tests.support.cast import client_for
from tests.support.determinations import complete_draft, today
from tests.support.factories import DiagnosticFactory
from tests.support.reports import fill_record, name_the_parties, text

pytestmark = pytest.mark.usefixtures("module_cast")

PERMANENT = "Lift no more than 20 lb occasionally; no overhead reach with the left arm."


@pytest.fixture
def record(cast):
    """Lisa Reed's shape: a temporary status (10 lb, expected through a date) in force."""
    name_the_parties(cast.case)
    fill_record(cast.case, cast.clinician)
    DiagnosticFactory(case=cast.case)
    services.work_status_save(
        work_status=WorkStatus(
            case=cast.case,
            kind=WorkStatus.Kind.RESTRICTED,
            effective_from=today() - timedelta(days=60),
            expected_through=today() + timedelta(days=4),
            issued_by=cast.clinician,
        ),
        restrictions=[
            WorkRestriction(
                category=WorkRestriction.Category.LIFT_CARRY,
                activity="lift",
                max_pounds=10,
                frequency=WorkRestriction.Frequency.OCCASIONAL,
            )
        ],
    )
    return cast


def _sign(cast, draft, **outcome):
    complete_draft(draft, cast.clinician, **outcome)
    return services.determination_sign(determination=draft, signed_by=cast.clinician)


def _pdf_text(user, name, pk) -> str:
    response = client_for(user).get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return " ".join(text(response.content).split())


def _documents(cast, determination) -> tuple[str, str, str]:
    """The case summary and certification PDFs' text, and the employer report's words (a
    Texas case's PDF is the state's own form, filled elsewhere)."""
    report = work_status_report(cast.case.pk, generated_at=timezone.now())
    assert report is not None
    lines = " ".join(line for group in report.restriction_groups for line in group.lines)
    return (
        _pdf_text(cast.adjuster, "report-case-summary", cast.case.pk),
        f"{report.statement} {lines}",
        _pdf_text(cast.adjuster, "report-certification", determination.pk),
    )


@pytest.mark.pdf
def test_signing_permanent_restrictions_makes_every_document_agree(record):
    draft = services.determination_start(case=record.case, started_by=record.clinician)
    signed = _sign(record, draft, permanent_restrictions=PERMANENT)

    summary, work_status, certification = _documents(record, signed)

    for document in (summary, work_status, certification):
        assert "Lift no more than 20 lb occasionally" in document
        assert "no overhead reach with the left arm" in document
    current = summary.split("Current work status")[1].split("every signed version")[0]
    for document in (current, work_status):
        assert "with permanent restrictions as of" in document
        assert "at most 10 lb" not in document and "max 10 lb" not in document
        assert "expected through" not in document.lower()
    codes = signed.diagnosis_codes.replace(" ", "").split(",")
    record.case.refresh_from_db()
    assert record.case.diagnosis_code_list == codes
    assert codes[0] in summary and codes[0] in certification
    # The status it issued names the certifier's role as the DWC073 asks it.
    issued = WorkStatus.objects.get(determination=signed)
    assert signed.certifier_role == Determination.CertifierRole.TREATING
    assert issued.practitioner_role == WorkStatus.PractitionerRole.TREATING
    assert issued.visited_on == signed.exam_date
    assert "Signed electronically by" in certification
    assert "Signature of the certifying doctor" not in certification
    assert "Content SHA-256" not in certification


def test_signing_without_permanent_restrictions_issues_full_duty(record):
    draft = services.determination_start(case=record.case, started_by=record.clinician)
    signed = _sign(record, draft, permanent_restrictions="")

    status = record.case.work_statuses.order_by("-effective_from", "-pk").first()
    assert status.determination == signed
    assert status.kind == WorkStatus.Kind.FULL_DUTY
    assert status.statement.startswith("May return to work without restrictions")


def test_amending_issues_the_amended_status_and_rescinding_restores_the_one_before(record):
    draft = services.determination_start(case=record.case, started_by=record.clinician)
    first = _sign(record, draft, permanent_restrictions=PERMANENT)
    amendment = services.determination_amend(determination=first, amended_by=record.clinician)
    second = _sign(record, amendment, permanent_restrictions="Lift no more than 25 lb")

    current = record.case.work_statuses.order_by("-effective_from", "-pk").first()
    assert current.determination == second
    assert [str(r) for r in current.restrictions.all()] == ["Lift no more than 25 lb"]

    services.determination_rescind(
        determination=second,
        rescinded_by=record.clinician,
        category=Determination.RescindReason.SUBSTANTIAL_CHANGE,
        reason="Worse after a fall.",
    )

    restored = record.case.work_statuses.order_by("-effective_from", "-pk").first()
    # The state before the rescinded version: the first certification's permanent status.
    assert restored.determination == first and restored.expected_through is None
    assert sorted(str(r) for r in restored.restrictions.all()) == [
        "Lift no more than 20 lb occasionally",
        "no overhead reach with the left arm",
    ]
    assert restored.issued_by == record.clinician
    assert restored.history.count() == 1  # who and when it was issued


def test_rescinding_the_only_certification_restores_the_temporary_status(record):
    draft = services.determination_start(case=record.case, started_by=record.clinician)
    signed = _sign(record, draft, permanent_restrictions=PERMANENT)

    services.determination_rescind(
        determination=signed,
        rescinded_by=record.clinician,
        category=Determination.RescindReason.NEW_DIAGNOSIS,
        reason="A new tear on the MRI.",
    )

    restored = record.case.work_statuses.order_by("-effective_from", "-pk").first()
    assert restored.kind == WorkStatus.Kind.RESTRICTED and restored.determination is None
    assert restored.expected_through == today() + timedelta(days=4)
    assert [r.max_pounds for r in restored.restrictions.all()] == [10]


def test_a_second_download_of_an_unchanged_summary_is_the_stored_file(record):
    url = reverse("report-case-summary", args=[record.case.pk])
    client = client_for(record.adjuster)

    first = client.get(url)
    second = client.get(url)

    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert PreparedReport.objects.filter(case=record.case).count() == 1


def test_a_change_that_prints_nothing_new_keeps_the_stored_file(record):
    url = reverse("report-case-summary", args=[record.case.pk])
    client = client_for(record.adjuster)
    first = client.get(url)
    stored = PreparedReport.objects.get(case=record.case)
    # A save that changes nothing printed still counts as a new revision of the case.
    record.case.save()

    second = client.get(url)

    kept = PreparedReport.objects.get(case=record.case)
    assert second.content == first.content
    assert (kept.pk, kept.file.name, kept.issued_id) == (
        stored.pk,
        stored.file.name,
        stored.issued_id,
    )
    assert kept.revision > stored.revision


def test_status_issued_is_the_day_it_was_issued_not_the_print_day(record):
    status = record.case.work_statuses.order_by("-effective_from", "-pk").first()
    WorkStatus.objects.filter(pk=status.pk).update(
        created_at=status.created_at - timedelta(days=20)
    )
    report = work_status_report(record.case.pk, generated_at=timezone.now())

    assert report.issued_on == today() - timedelta(days=20)
