"""The case's chronology: its outside records by date of service among the case's own
events, in either order, narrowed to a kind, withdrawn records struck through with their
reason, clinical-only ones kept from the adjuster; logged, scoped like the case page, and
the same number of queries whatever the number of records."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AccessLogEntry
from cases import services as case_services
from outside_records import services
from outside_records.models import OutsideRecord
from tests.support.cast import client_for
from tests.support.determinations import complete_draft, valid_answers
from tests.support.factories import ConsultationFactory, TreatmentFactory
from tests.support.outside_records import record_on

pytestmark = pytest.mark.usefixtures("module_cast")


def url(cast, **query):
    return reverse("outside_records:case-chronology", args=[cast.case.pk]), query


def page(client, cast, **query):
    response = client.get(*url(cast, **query))
    assert response.status_code == 200
    return response.content.decode()


def dated(record: OutsideRecord, service_date: date | None) -> OutsideRecord:
    OutsideRecord.objects.filter(pk=record.pk).update(service_date=service_date)
    record.refresh_from_db()
    return record


def entries(html: str) -> list[str]:
    """Each entry's text, in the page's order, with its whitespace folded."""
    listed = html.split('<ol class="timeline chronology">', 1)[1].split("</ol>", 1)[0]
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in listed.split("<li>")[1:]
    ]


@pytest.fixture
def chronology(cast):
    """An injury, a treatment and a consultation on the case, an MRI report dated between
    them, and a letter with no date of service received last."""
    injury = cast.case.date_of_injury
    TreatmentFactory(case=cast.case, description="Lumbar stabilisation", kind="pt")
    ConsultationFactory(case=cast.case, consultant="Dr. Ortiz")
    mri = dated(
        record_on(cast.case, cast.case_manager, name="mri.pdf", received_on=injury + timedelta(40)),
        injury + timedelta(days=10),
    )
    letter = record_on(
        cast.case,
        cast.case_manager,
        name="attorney-letter.pdf",
        document_type=OutsideRecord.DocumentType.LEGAL,
        received_on=injury + timedelta(days=90),
    )
    return mri, letter


def test_records_stand_by_date_of_service_among_the_case_events(cast, chronology):
    html = page(client_for(cast.clinician), cast)
    listed = entries(html)
    titles = [
        next(
            t
            for t in ("Injury", "started", "mri.pdf", "attorney-letter.pdf", "Dr. Ortiz")
            if t in e
        )
        for e in listed
    ]
    assert titles == ["Injury", "started", "mri.pdf", "Dr. Ortiz", "attorney-letter.pdf"]
    mri, letter = chronology
    assert reverse("outside_records:record-detail", args=[mri.pk]) in html
    assert "(received; no date of service given)" in listed[4]
    assert "(received; no date of service given)" not in listed[2]
    assert "Austin Imaging Center" in listed[2] and "from Lone Star Mutual" in listed[2]


def test_newest_first_turns_the_order_round(cast, chronology):
    html = page(client_for(cast.clinician), cast, order="newest")
    listed = entries(html)
    assert "Legal" in listed[0] and "Injury" in listed[-1]
    assert "newest first" in html


def test_the_chronology_narrows_to_one_type_of_record_or_to_the_case_events(cast, chronology):
    client = client_for(cast.clinician)
    only_legal = entries(page(client, cast, show="legal"))
    assert len(only_legal) == 1 and "attorney-letter.pdf" in only_legal[0]
    records = entries(page(client, cast, show="records"))
    assert len(records) == 2
    events = entries(page(client, cast, show="events"))
    assert not any("Outside record" in entry for entry in events)
    assert any("Injury" in entry for entry in events)


def test_a_choice_not_offered_is_said_so_and_everything_is_shown(cast, chronology):
    html = page(client_for(cast.clinician), cast, show="<script>")
    assert "Everything is shown." in html
    assert len(entries(html)) == 5
    assert "<script>" not in html


def test_a_withdrawn_record_is_struck_through_with_its_reason(cast, chronology):
    mri, _ = chronology
    services.record_withdraw(record=mri, by=cast.case_manager, reason="Another patient's scan")
    listed = entries(page(client_for(cast.adjuster), cast))
    [withdrawn] = [entry for entry in listed if "mri.pdf" in entry]
    assert "Withdrawn" in withdrawn and "Another patient's scan" in withdrawn
    html = page(client_for(cast.adjuster), cast)
    assert re.search(r"<s><a href=\"[^\"]+\">Imaging</a>", html)


def test_the_adjuster_never_sees_a_clinical_only_record(cast, chronology):
    record_on(cast.case, cast.clinician, name="psych-eval.pdf", clinical_only=True)
    assert "psych-eval.pdf" not in page(client_for(cast.adjuster), cast)
    assert "psych-eval.pdf" in page(client_for(cast.clinician), cast)
    assert "psych-eval.pdf" in page(client_for(cast.case_manager), cast)


@pytest.mark.parametrize("who", ["other_adjuster", "other_clinician", "other_case_manager"])
def test_a_case_not_seen_answers_404(cast, who):
    response = client_for(getattr(cast, who)).get(*url(cast))
    assert response.status_code == 404


def test_the_chronology_is_in_the_access_log(cast):
    page(client_for(cast.adjuster), cast)
    entry = AccessLogEntry.objects.first()
    assert (entry.user, entry.case, entry.action, entry.detail) == (
        cast.adjuster,
        cast.case,
        AccessLogEntry.Action.CASE_VIEW,
        "Chronology",
    )


def test_the_case_page_leads_to_the_chronology(cast):
    html = client_for(cast.adjuster).get(cast.case.get_absolute_url()).content.decode()
    assert url(cast)[0] in html


def count_queries(client, cast):
    with CaptureQueriesContext(connection) as ctx:
        page(client, cast)
    return len(ctx.captured_queries)


def test_the_same_queries_with_2_and_12_records(cast):
    client = client_for(cast.adjuster)
    for n in range(2):
        record_on(cast.case, cast.case_manager, name=f"a{n}.pdf")
    TreatmentFactory(case=cast.case)
    few = count_queries(client, cast)
    for n in range(10):
        record = record_on(cast.case, cast.clinician, name=f"b{n}.pdf", clinical_only=n % 3 == 0)
        if n % 4 == 0:
            services.record_withdraw(record=record, by=cast.clinician, reason="Duplicate")
        TreatmentFactory(case=cast.case)
    assert count_queries(client, cast) == few


def test_a_record_a_signed_certification_cites_is_marked_cited(cast, chronology):
    mri, letter = chronology
    draft = case_services.determination_start(case=cast.case, started_by=cast.clinician)
    complete_draft(draft, cast.clinician)
    client_for(cast.clinician).post(
        reverse("determination-step", args=[draft.pk, "clinical"]),
        {
            **valid_answers(cast.case, "clinical"),
            "revision": 1,
            "cite-records": [str(mri.pk)],
            f"cite-pages_{mri.pk}": "1",
        },
    )
    listed = entries(page(client_for(cast.adjuster), cast))
    assert not any("Cited" in entry for entry in listed)  # a draft's citation is not yet
    case_services.determination_sign(determination=draft, signed_by=cast.clinician)
    listed = entries(page(client_for(cast.adjuster), cast))
    [cited] = [entry for entry in listed if "Cited" in entry]
    assert "mri.pdf" in cited and "Cited by the signed certification v1" in cited
