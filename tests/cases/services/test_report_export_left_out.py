"""Exporting every case the case list's filter matches, on every page, and what the export
says it left out and why. Tasks run inline, as with no broker (the thread that builds an
export without one is tested in test_report_export_thread.py)."""

from pathlib import Path

import pytest
from django.test import TestCase
from django.urls import reverse

from cases.models import Case, Determination, ReportExport
from cases.services import report_exports
from cases.services.determinations import determination_rescind
from cases.views import case_list
from tests.support.cast import client_for
from tests.support.exports import export_now, read_zip, signed_with_certification
from tests.support.factories import AdjusterFactory, CaseFactory

pytestmark = pytest.mark.usefixtures("module_cast")


@pytest.fixture
def florida(cast):
    """Florida cases of the adjuster's insurer: two signed, one with nothing signed, one whose
    certification was rescinded; a signed Florida case of another insurer; and the cast's
    own signed case, in Texas."""
    clinician, insurer = cast.clinician, cast.case.insurer

    def case(claim: str, **fields) -> Case:
        return CaseFactory(
            claim_number=claim,
            jurisdiction="FL",
            insurer=fields.pop("insurer", insurer),
            case_manager=cast.case_manager,
            care_team=[clinician],
        )

    cast.texas = signed_with_certification(cast.case, clinician)
    cast.signed = [
        signed_with_certification(case("FL-0001"), clinician),
        signed_with_certification(case("FL-0003"), clinician),
    ]
    cast.unsigned = case("FL-0002")
    rescinded = signed_with_certification(case("FL-0004"), clinician).determination
    determination_rescind(
        determination=rescinded,
        rescinded_by=clinician,
        category=Determination.RescindReason.NEW_DIAGNOSIS,
        reason="A new tear on the MRI of 2 December.",
    )
    cast.rescinded = rescinded.case
    cast.foreign = case("FL-0005", insurer=CaseFactory().insurer)
    signed_with_certification(cast.foreign, clinician)
    return cast


def _left_out(export: ReportExport) -> list[tuple[str, str]]:
    return [(claim, why) for claim, why, _ in export.left_out]


def _export_matching(user, filter_query: str) -> ReportExport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(user).post(
            reverse("export-create"), {"scope": "filter", "filter": filter_query}
        )
    export = ReportExport.objects.get()
    assert response.url == export.get_absolute_url()
    return export


def test_all_matching_exports_every_signed_case_of_the_filter_beyond_the_page(florida, monkeypatch):
    monkeypatch.setattr(case_list, "CASES_PER_PAGE", 1)
    client = client_for(florida.adjuster)
    page = client.get(reverse("case-list"), {"jurisdiction": "FL", "sort": "claim"})
    page = page.content.decode()
    # One case on the page; the choice covers the four matching ones the adjuster sees.
    assert page.count("data-export-case") == 1
    assert "All 4 matching cases, on every page" in page

    export = _export_matching(florida.adjuster, "jurisdiction=FL")

    members, manifest = read_zip(Path(export.file.path).read_bytes())
    assert sorted(members) == ["MMI-FL-0001-v1.pdf", "MMI-FL-0003-v1.pdf"]
    assert [row["Claim number"] for row in manifest] == ["FL-0001", "FL-0003"]
    assert export.case_ids == sorted(report.case_id for report in florida.signed)


def test_another_insurers_case_matching_the_filter_is_neither_exported_nor_named(florida):
    export = _export_matching(florida.adjuster, "jurisdiction=FL")

    members, _ = read_zip(Path(export.file.path).read_bytes())
    assert not [name for name in members if "FL-0005" in name]
    page = client_for(florida.adjuster).get(export.get_absolute_url()).content.decode()
    assert "FL-0005" not in page


def test_the_export_page_lists_the_cases_left_out_and_why(florida):
    export = _export_matching(florida.adjuster, "jurisdiction=FL")

    assert _left_out(export) == [("FL-0002", "not_signed"), ("FL-0004", "rescinded")]
    page = client_for(florida.adjuster).get(export.get_absolute_url()).content.decode()
    assert "Left out: 2 cases" in page
    assert '<td class="text-nowrap">FL-0002</td><td>No signed MMI certification</td>' in page
    assert (
        '<td class="text-nowrap">FL-0004</td>'
        "<td>Its certification was rescinded: MMI re-opened</td>" in page
    )
    assert "2 of 2 certifications in the ZIP" in page


def test_ticked_cases_without_a_certification_in_force_are_listed_as_left_out(florida):
    export = export_now(
        florida.adjuster,
        cases=Case.objects.filter(pk__in=[florida.signed[0].case_id, florida.unsigned.pk]),
    )

    assert export.status == ReportExport.Status.DONE
    assert _left_out(export) == [("FL-0002", "not_signed")]


def _amend(report, clinician):
    """The certification superseded by a signed version 2, as amending it does."""
    report.determination.status = Determination.Status.SUPERSEDED
    report.determination.save(update_fields=["status"])
    return signed_with_certification(report.case, clinician, version=2)


def test_after_asking_a_rescinded_certification_is_left_out_an_amended_one_exported_anew(
    florida,
):
    first, second = florida.signed
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        export = report_exports.report_export_request(
            requested_by=florida.adjuster,
            cases=Case.objects.filter(pk__in=[first.case_id, second.case_id, florida.case.pk]),
        )
    determination_rescind(
        determination=first.determination,
        rescinded_by=florida.clinician,
        category=Determination.RescindReason.NEW_DIAGNOSIS,
        reason="Worse since the exam.",
    )
    _amend(second, florida.clinician)
    for callback in queued:
        callback()

    export.refresh_from_db()
    members, _ = read_zip(Path(export.file.path).read_bytes())
    assert sorted(members) == [f"MMI-{florida.case.claim_number}-v1.pdf", "MMI-FL-0003-v2.pdf"]
    assert _left_out(export) == [("FL-0001", "rescinded")]
    page = client_for(florida.adjuster).get(export.get_absolute_url()).content.decode()
    assert "Its certification was rescinded: MMI re-opened" in page


def test_a_certification_amended_while_the_export_is_built_is_left_out_saying_so(florida):
    first, second = florida.signed
    with TestCase.captureOnCommitCallbacks(execute=False):
        export = report_exports.report_export_request(
            requested_by=florida.adjuster,
            cases=Case.objects.filter(pk__in=[first.case_id, second.case_id]),
        )
    plan = report_exports.export_plan(export_id=export.pk)
    _amend(second, florida.clinician)
    for index, part in enumerate(plan.parts):
        report_exports.export_part_build(
            export_id=export.pk, attempt=plan.attempt, index=index, determination_ids=part
        )
    report_exports.export_assemble(export_id=export.pk, attempt=plan.attempt)

    export.refresh_from_db()
    members, _ = read_zip(Path(export.file.path).read_bytes())
    assert list(members) == ["MMI-FL-0001-v1.pdf"]
    assert _left_out(export) == [("FL-0003", "amended")]
    assert export.done == export.total == 2
    page = client_for(florida.adjuster).get(export.get_absolute_url()).content.decode()
    assert "1 of 2 certifications in the ZIP" in page
    assert "Its certification was amended since: export it again" in page


def test_a_long_left_out_list_is_cut_and_says_how_many_more(florida, monkeypatch):
    monkeypatch.setattr(report_exports, "LEFT_OUT_LISTED", 1)

    export = _export_matching(florida.adjuster, "jurisdiction=FL")

    assert _left_out(export) == [("FL-0002", "not_signed")]
    assert export.left_out_count == 2
    page = client_for(florida.adjuster).get(export.get_absolute_url()).content.decode()
    assert "Left out: 2 cases" in page
    assert "And 1 more, not listed." in page


def test_an_invalid_filter_for_all_matching_exports_nothing(florida):
    response = client_for(florida.adjuster).post(
        reverse("export-create"),
        {"scope": "filter", "filter": "jurisdiction=FL&injured_after=not-a-date"},
        follow=True,
    )

    assert response.status_code == 200
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize("left_out", [0, 2])
def test_the_export_pages_make_the_same_queries_whatever_is_left_out(
    florida, left_out, django_assert_num_queries
):
    cases = [report.case_id for report in florida.signed]
    cases += [florida.unsigned.pk, florida.rescinded.pk][:left_out]
    export = export_now(florida.adjuster, cases=Case.objects.filter(pk__in=cases))
    assert export.left_out_count == left_out
    client = client_for(florida.adjuster)

    # The page counts the unread notifications for its navigation bar; its progress fragment
    # has none.
    for name, queries in [("export-detail", 8), ("export-progress", 7)]:
        with django_assert_num_queries(queries):
            client.get(reverse(name, args=[export.pk]))


def test_an_adjuster_lists_only_their_own_exports_and_gets_404_for_anothers(florida):
    own = export_now(florida.adjuster)
    colleague = AdjusterFactory(organisation=florida.adjuster.organisation)
    theirs = export_now(colleague)

    listed = client_for(florida.adjuster).get(reverse("export-list")).context["exports"]
    assert listed == [own]
    client = client_for(florida.adjuster)
    for name in ["export-detail", "export-progress", "export-download"]:
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
