"""Searching the text of outside records: a case's records from its page, every case's from
"Search records"; the word found shown on its page, marked; the record's text never run as
HTML; who finds what; the access log; odd and overlong queries; a fixed number of queries.
On SQLite and on PostgreSQL (full-text) alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry
from outside_records import search, services
from outside_records.models import RecordPage
from tests.support.cast import client_for
from tests.support.factories import CaseFactory, PatientFactory
from tests.support.outside_records import pdf_bytes, record_on

pytestmark = pytest.mark.usefixtures("module_cast")

LOREM = "The patient was seen for follow-up of the injury at work. No new complaints today."
FOUND = "Lumbar MRI shows a disc herniation at L4-L5 with mild foraminal narrowing."


def record_with_pages(case, by, pages, *, name="mri.pdf", clinical_only=False):
    """A record of as many pages as ``pages``, each read with that text."""
    record = record_on(
        case, by, content=pdf_bytes(len(pages), marker=name), name=name, clinical_only=clinical_only
    )
    RecordPage.objects.bulk_create(
        RecordPage(stored_file=record.stored_file, number=number, text=text)
        for number, text in enumerate(pages, start=1)
    )
    return record


def case_search(client, case, q, **params):
    url = reverse("outside_records:case-record-search", args=[case.pk])
    return client.get(url, {"q": q, **params})


def search_all(client, q, **params):
    return client.get(reverse("outside_records:record-search"), {"q": q, **params})


def test_a_word_on_page_3_is_found_marked_with_its_page(cast):
    record = record_with_pages(cast.case, cast.case_manager, [LOREM, LOREM, FOUND, LOREM])
    response = case_search(client_for(cast.clinician), cast.case, "herniation")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 record found" in html
    assert "p. 3" in html and "p. 1" not in html and "p. 2" not in html
    assert "<mark>herniation</mark>" in html
    assert reverse("outside_records:record-detail", args=[record.pk]) + "#page-3" in html
    assert "found on 1 page" in html


def test_the_record_page_has_the_anchor_a_result_links_to(cast):
    record = record_with_pages(cast.case, cast.case_manager, [LOREM, FOUND])
    html = (
        client_for(cast.clinician)
        .get(reverse("outside_records:record-detail", args=[record.pk]))
        .content.decode()
    )
    assert 'id="page-2"' in html


def test_a_script_in_the_record_text_is_shown_as_text(cast):
    record_with_pages(
        cast.case,
        cast.case_manager,
        ['Disc herniation <script>alert("x")</script> <b>bold</b> <mark>fake</mark>'],
    )
    html = case_search(client_for(cast.clinician), cast.case, "herniation").content.decode()
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;bold" in html
    assert "<mark>fake" not in html
    assert "<mark>herniation</mark>" in html


def test_the_case_page_offers_the_search_box_beside_its_records(cast):
    record_with_pages(cast.case, cast.case_manager, [FOUND])
    html = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()
    assert reverse("outside_records:case-record-search", args=[cast.case.pk]) in html


def test_several_pages_found_are_listed_and_the_rest_counted(cast):
    record_with_pages(cast.case, cast.case_manager, [FOUND] * 5)
    html = case_search(client_for(cast.clinician), cast.case, "herniation").content.decode()
    assert all(f"p. {n}" in html for n in (1, 2, 3))
    assert "p. 4" not in html
    assert "found on 5 pages" in html and "and 2 more pages" in html


def test_the_adjuster_never_finds_a_clinical_only_record(cast):
    record_with_pages(cast.case, cast.clinician, [FOUND], name="psych.pdf", clinical_only=True)
    adjuster = case_search(client_for(cast.adjuster), cast.case, "herniation").content.decode()
    assert "No record of this case holds" in adjuster and "psych.pdf" not in adjuster
    clinician = case_search(client_for(cast.clinician), cast.case, "herniation").content.decode()
    assert "psych.pdf" in clinician and "Clinical only" in clinician


def test_a_withdrawn_record_is_not_searched(cast):
    record = record_with_pages(cast.case, cast.case_manager, [FOUND], name="wrong.pdf")
    services.record_withdraw(record=record, by=cast.case_manager, reason="Wrong patient")
    for user in (cast.clinician, cast.case_manager, cast.admin):
        html = case_search(client_for(user), cast.case, "herniation").content.decode()
        assert "wrong.pdf" not in html
    assert "wrong.pdf" not in search_all(client_for(cast.admin), "herniation").content.decode()


def test_the_adjuster_searches_one_case_at_a_time_and_only_their_insurers(cast):
    others = CaseFactory()
    record_with_pages(others, cast.admin, [FOUND], name="other-insurer.pdf")
    assert search_all(client_for(cast.adjuster), "herniation").status_code == 403
    assert case_search(client_for(cast.adjuster), others, "herniation").status_code == 404
    html = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()
    assert reverse("outside_records:record-search") not in html


def test_the_case_manager_finds_only_their_cases(cast):
    mine = record_with_pages(cast.case, cast.case_manager, [LOREM, FOUND], name="mine.pdf")
    theirs = CaseFactory(case_manager=cast.other_case_manager)
    record_with_pages(theirs, cast.other_case_manager, [FOUND], name="theirs.pdf")
    response = search_all(client_for(cast.case_manager), "herniation")
    html = response.content.decode()
    assert "mine.pdf" in html and "theirs.pdf" not in html
    assert theirs.claim_number not in html
    assert f"Claim {cast.case.claim_number}" in html and str(cast.case.patient) in html
    assert reverse("outside_records:record-detail", args=[mine.pk]) + "#page-2" in html
    assert "<mark>herniation</mark>" in html
    assert "1 record found" in html


def test_the_clinician_finds_across_the_cases_of_their_care_team(cast):
    second = CaseFactory(care_team=[cast.clinician], patient=PatientFactory(last_name="Okafor"))
    record_with_pages(cast.case, cast.case_manager, [FOUND], name="first.pdf")
    record_with_pages(second, cast.admin, [FOUND], name="second.pdf")
    not_theirs = CaseFactory()
    record_with_pages(not_theirs, cast.admin, [FOUND], name="not-theirs.pdf")
    html = search_all(client_for(cast.clinician), "herniation").content.decode()
    assert "first.pdf" in html and "second.pdf" in html and "not-theirs.pdf" not in html
    assert "Okafor" in html and "2 records found" in html


def test_search_records_is_in_the_navigation_of_those_who_may(cast):
    link = reverse("outside_records:record-search")
    for user in (cast.clinician, cast.case_manager, cast.admin):
        assert link in client_for(user).get(reverse("case-list")).content.decode()
    assert link not in client_for(cast.adjuster).get(reverse("case-list")).content.decode()


def test_results_come_a_page_at_a_time(cast, monkeypatch):
    monkeypatch.setattr(search, "RECORDS_PER_PAGE", 2)
    for n in range(5):
        record_with_pages(cast.case, cast.case_manager, [FOUND], name=f"r{n}.pdf")
    client = client_for(cast.case_manager)
    first = search_all(client, "herniation").content.decode()
    last = search_all(client, "herniation", page=3).content.decode()
    assert "5 records found" in first and "Page 1 of 3" in first
    assert "r4.pdf" in first and "r0.pdf" not in first
    assert "r0.pdf" in last and "r4.pdf" not in last


def test_an_empty_search_shows_the_box_and_a_hint(cast):
    record_with_pages(cast.case, cast.case_manager, [FOUND])
    for response in (
        search_all(client_for(cast.clinician), "   "),
        case_search(client_for(cast.clinician), cast.case, ""),
    ):
        html = response.content.decode()
        assert response.status_code == 200
        assert "Type a word or a few found in the records" in html
        assert "record found" not in html and "records found" not in html


def test_an_overlong_search_is_refused_with_a_reason(cast):
    response = search_all(client_for(cast.clinician), "lumbar " * 40)
    assert response.status_code == 400
    assert "A search is at most 200 characters" in response.content.decode()
    response = case_search(client_for(cast.clinician), cast.case, "x" * 201)
    assert response.status_code == 400
    assert "A search is at most 200 characters" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ['"', "&|!", ":*", "'", "\\", "a:* & !(b | c)", "herniation)", "--", "the", "<", "%_"],
)
def test_odd_searches_are_answered_never_an_error(cast, query):
    record_with_pages(cast.case, cast.case_manager, [FOUND])
    assert search_all(client_for(cast.clinician), query).status_code == 200
    assert case_search(client_for(cast.adjuster), cast.case, query).status_code == 200


def test_a_search_is_in_the_access_log_as_a_view_of_each_case_shown(cast):
    second = CaseFactory(case_manager=cast.case_manager)
    shown = record_with_pages(cast.case, cast.case_manager, [FOUND], name="a.pdf")
    other = record_with_pages(second, cast.case_manager, [FOUND], name="b.pdf")
    before = AccessLogEntry.objects.count()
    search_all(client_for(cast.case_manager), "herniation")
    entries = AccessLogEntry.objects.order_by("pk")[before:]
    assert {(e.case_id, e.action, e.user_id) for e in entries} == {
        (cast.case.pk, AccessLogEntry.Action.CASE_VIEW, cast.case_manager.pk),
        (second.pk, AccessLogEntry.Action.CASE_VIEW, cast.case_manager.pk),
    }
    details = {e.case_id: e.detail for e in entries}
    assert f"records shown: {shown.pk} " in details[cast.case.pk]
    assert f"records shown: {other.pk} " in details[second.pk]
    assert "herniation" in details[second.pk]

    case_search(client_for(cast.adjuster), cast.case, "nothing-like-this")
    entry = AccessLogEntry.objects.latest("pk")
    assert (entry.case_id, entry.user_id) == (cast.case.pk, cast.adjuster.pk)
    assert entry.action == AccessLogEntry.Action.CASE_VIEW
    assert "records shown: none" in entry.detail


def _queries(get) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert get().status_code == 200
    return len(queries)


def test_a_results_page_makes_the_same_queries_for_1_or_many_records_and_pages(cast):
    clinician = client_for(cast.clinician)
    manager = client_for(cast.case_manager)
    record_with_pages(cast.case, cast.case_manager, [FOUND, LOREM], name="one.pdf")
    few_case = _queries(lambda: case_search(clinician, cast.case, "herniation"))
    few_all = _queries(lambda: search_all(manager, "herniation"))
    for n in range(6):
        case = CaseFactory(case_manager=cast.case_manager, care_team=[cast.clinician])
        record_with_pages(case, cast.case_manager, [FOUND] * 4, name=f"many{n}.pdf")
        record_with_pages(cast.case, cast.case_manager, [LOREM, FOUND] * 3, name=f"more{n}.pdf")
    assert _queries(lambda: case_search(clinician, cast.case, "herniation")) == few_case
    assert _queries(lambda: search_all(manager, "herniation")) == few_all
    assert "13 records found" in search_all(manager, "herniation").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search: PostgreSQL")
def test_full_text_finds_other_forms_and_reads_phrases_and_exclusions(cast):
    record_with_pages(cast.case, cast.case_manager, [FOUND], name="mri.pdf")
    record_with_pages(cast.case, cast.case_manager, ["Old fractures of the radius."], name="xr.pdf")
    client = client_for(cast.clinician)
    assert "xr.pdf" in case_search(client, cast.case, "fracture").content.decode()
    assert "<mark>fractures</mark>" in case_search(client, cast.case, "fracture").content.decode()
    assert "mri.pdf" in case_search(client, cast.case, '"disc herniation"').content.decode()
    assert "mri.pdf" not in case_search(client, cast.case, '"herniation disc"').content.decode()
    assert "mri.pdf" not in case_search(client, cast.case, "herniation -lumbar").content.decode()
