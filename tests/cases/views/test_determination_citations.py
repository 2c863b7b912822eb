"""Citing the case's outside records in a determination's steps: ticked with their pages,
shown on the review page, the date all medical records were received filled from them (and
the DWC069 due date with it), refused for another case's record, copied by an amendment."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.domain.jurisdictions import for_code
from cases.models import Determination, DeterminationStep
from cases.templatetags.dates import day
from outside_records import services as record_services
from outside_records.citations import Citation
from outside_records.models import OutsideRecord, RecordCitation
from tests.support.cast import Cast, client_for
from tests.support.determinations import complete_draft, exam_day, save_step, valid_answers
from tests.support.factories import CaseFactory
from tests.support.outside_records import pdf_bytes, upload

pytestmark = pytest.mark.usefixtures("module_cast")


def record(case, by, *, name="mri.pdf", pages=10, received_on=None, **details):
    [added] = record_services.records_upload(
        case=case,
        files=[upload(name, pdf_bytes(pages, marker=name))],
        details=record_services.RecordDetails(
            document_type=details.pop("document_type", OutsideRecord.DocumentType.IMAGING),
            received_on=received_on or timezone.localdate(),
            received_from=details.pop("received_from", "Lone Star Mutual"),
            service_date=details.pop("service_date", None),
            author=details.pop("author", "Austin Imaging Center"),
            **details,
        ),
        by=by,
    )
    return added


@pytest.fixture
def draft(cast: Cast) -> Determination:
    return services.determination_start(case=cast.case, started_by=cast.clinician)


def step_url(determination: Determination, slug: str) -> str:
    return reverse("determination-step", args=[determination.pk, slug])


def post_step(client, determination, slug, *, cite=(), revision=None, **changes):
    """Post a step as its page does, ticking ``cite``: (record, pages) pairs."""
    if revision is None:
        saved = DeterminationStep.objects.filter(determination=determination, slug=slug).first()
        revision = saved.revision if saved else 0
    data = {
        **valid_answers(determination.case, slug),
        "revision": revision,
        "go": "stay",
        "cite-records": [str(cited.pk) for cited, _ in cite],
        **{f"cite-pages_{cited.pk}": pages for cited, pages in cite},
        **changes,
    }
    return client.post(step_url(determination, slug), data)


def test_records_ticked_in_a_step_are_on_the_review_page(cast, draft):
    mri = record(cast.case, cast.case_manager, service_date=exam_day(cast.case))
    letter = record(
        cast.case,
        cast.case_manager,
        name="ortho.pdf",
        pages=4,
        document_type=OutsideRecord.DocumentType.CONSULTATION,
        author="Dr. Helen Ward, orthopaedics",
        received_from="Treating doctor's office",
    )
    client = client_for(cast.clinician)

    response = post_step(client, draft, "clinical", cite=[(mri, "3, 7-9")])
    assert response.status_code == 302
    post_step(client, draft, "consultations", cite=[(letter, ""), (mri, "2")])

    page = client.get(step_url(draft, "clinical")).content.decode()
    assert f'value="{mri.pk}" id="id_cite-records_' in page
    assert 'value="3, 7–9"' in page  # written back the one way
    review = client.get(reverse("determination-review", args=[draft.pk])).content.decode()
    assert "Medical records reviewed" in review
    assert f"Imaging</strong> of {day(mri.service_date)} by Austin Imaging Center" in review
    assert "pages cited: 2–3, 7–9 · steps 1, 4" in review
    assert "Dr. Helen Ward, orthopaedics" in review and "pages cited: all 4 · step 4" in review
    overview = client.get(draft.get_absolute_url()).content.decode()
    assert "Outside records reviewed" in overview


@pytest.mark.parametrize(
    "pages,message",
    [
        ("12", "Page 12 is past the end: this record has 10 pages."),
        ("9-7", "9–7 runs backwards: write the lower page first (7–9)."),
        ("0", "Pages are numbered from 1."),
        ("three", "“three” is not a page or a range of pages: write them like 3, 7–9."),
    ],
)
def test_pages_a_record_does_not_have_are_refused(cast, draft, pages, message):
    mri = record(cast.case, cast.case_manager)
    response = post_step(client_for(cast.clinician), draft, "clinical", cite=[(mri, pages)])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DeterminationStep.objects.filter(determination=draft).exists()


def test_pages_typed_for_a_record_not_ticked_are_refused(cast, draft):
    mri = record(cast.case, cast.case_manager)
    response = post_step(
        client_for(cast.clinician), draft, "diagnostics", **{f"cite-pages_{mri.pk}": "2"}
    )
    assert "Tick the record to cite these pages." in response.content.decode()
    assert not RecordCitation.objects.exists()


def test_another_cases_record_cannot_be_cited(cast, draft):
    elsewhere = record(CaseFactory(case_manager=cast.case_manager), cast.case_manager)
    response = post_step(client_for(cast.clinician), draft, "clinical", cite=[(elsewhere, "")])
    assert response.status_code == 200
    assert (
        f"Only this case&#x27;s outside records in force can be cited; record {elsewhere.pk}"
        in response.content.decode()
    )
    assert not RecordCitation.objects.exists()
    # The service refuses it too, whatever posts it.
    with pytest.raises(ValidationError, match="Only the case's own outside records"):
        services.determination_save_step(
            determination=draft,
            slug="therapy",
            columns={},
            answers={},
            expected_revision=0,
            saved_by=cast.clinician,
            citations=[Citation(record_id=elsewhere.pk)],
        )


def test_the_adjuster_cannot_cite_a_record(cast, draft):
    mri = record(cast.case, cast.case_manager)
    response = post_step(client_for(cast.adjuster), draft, "clinical", cite=[(mri, "")])
    assert response.status_code in (403, 404)
    assert not RecordCitation.objects.exists()


def test_a_withdrawn_record_is_not_offered(cast, draft):
    mri = record(cast.case, cast.case_manager)
    record_services.record_withdraw(record=mri, by=cast.case_manager, reason="Wrong patient")
    page = client_for(cast.clinician).get(step_url(draft, "clinical")).content.decode()
    assert "mri.pdf" not in page
    response = post_step(client_for(cast.clinician), draft, "clinical", cite=[(mri, "")])
    assert "is not one of them" in response.content.decode()


def test_a_record_withdrawn_after_it_was_cited_leaves_the_step_to_save_again(cast, draft):
    mri = record(cast.case, cast.case_manager)
    client = client_for(cast.clinician)
    post_step(client, draft, "therapy", cite=[(mri, "")])
    record_services.record_withdraw(record=mri, by=cast.case_manager, reason="Duplicate")

    page = client.get(step_url(draft, "therapy")).content.decode()
    assert "was withdrawn on" in page and "Duplicate" in page
    review = client.get(reverse("determination-review", args=[draft.pk])).content.decode()
    assert "Step 2: Therapy response</a>" in review  # among the steps to complete

    post_step(client, draft, "therapy")
    assert not RecordCitation.objects.exists()


def test_records_received_date_is_the_latest_receipt_and_the_due_date_follows(cast, draft):
    exam = exam_day(cast.case)
    latest = timezone.localdate() - timedelta(days=2)
    early = record(cast.case, cast.case_manager, received_on=exam - timedelta(days=5))
    late = record(cast.case, cast.case_manager, name="fce.pdf", received_on=latest)
    client = client_for(cast.clinician)

    post_step(client, draft, "clinical", cite=[(early, "")])
    draft.refresh_from_db()
    assert draft.records_received_date == early.received_on
    post_step(client, draft, "diagnostics", cite=[(late, "1")])
    draft.refresh_from_db()
    assert draft.records_received_date == latest

    review = client.get(reverse("determination-review", args=[draft.pk])).content.decode()
    due = for_code(cast.case.jurisdiction).certification_due(exam, latest)
    assert f'Certification due by</dt><dd class="col-sm-8">{day(due)}' in review
    page = client.get(step_url(draft, "clinical")).content.decode()
    # Filled, not typed: the field stays blank and keeps following the records cited.
    assert f'value="{latest.isoformat()}"' not in page
    assert (
        "(the latest receipt of the outside records cited)"
        in client.get(draft.get_absolute_url()).content.decode()
    )


def test_a_typed_records_received_date_before_a_cited_receipt_is_refused(cast, draft):
    exam = exam_day(cast.case)
    mri = record(cast.case, cast.case_manager, received_on=exam + timedelta(days=3))
    client = client_for(cast.clinician)

    response = post_step(
        client,
        draft,
        "clinical",
        cite=[(mri, "")],
        records_received_date=(exam + timedelta(days=1)).isoformat(),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"was received on {day(mri.received_on)}" in html
    assert "all medical records cannot have been received before it" in html
    assert not DeterminationStep.objects.filter(determination=draft).exists()

    # Typed on step 1, then a later record cited in step 3: refused there, with where to go.
    post_step(client, draft, "clinical", records_received_date=(exam + timedelta(1)).isoformat())
    response = post_step(client, draft, "diagnostics", cite=[(mri, "")])
    html = response.content.decode()
    assert "Step 1 says all medical records were received on" in html
    assert not RecordCitation.objects.exists()

    # A typed date on or after the receipt stands.
    post_step(
        client, draft, "clinical", cite=[(mri, "")], records_received_date=exam + timedelta(4)
    )
    draft.refresh_from_db()
    assert draft.records_received_date == exam + timedelta(days=4)


def test_an_amendment_cites_what_the_signed_version_cited(cast, draft):
    mri = record(cast.case, cast.case_manager)
    complete_draft(draft, cast.clinician)
    post_step(client_for(cast.clinician), draft, "clinical", cite=[(mri, "2-3")])
    signed = services.determination_sign(determination=draft, signed_by=cast.clinician)

    amendment = services.determination_amend(determination=signed, amended_by=cast.clinician)

    copied = RecordCitation.objects.get(step__determination=amendment)
    assert (copied.record, copied.pages, copied.step.slug) == (mri, "2–3", "clinical")
    assert RecordCitation.objects.filter(step__determination=signed).count() == 1
    amendment.refresh_from_db()
    assert amendment.records_received_date == mri.received_on


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_step_page_makes_the_same_queries_with_2_and_12_records(cast, draft):
    client = client_for(cast.clinician)
    save_step(draft, "clinical", cast.clinician)
    url = step_url(draft, "clinical")

    review = reverse("determination-review", args=[draft.pk])
    records = [record(cast.case, cast.case_manager, name=f"a{n}.pdf") for n in range(2)]
    post_step(client, draft, "clinical", cite=[(r, "1") for r in records])
    few = count(client, url), count(client, review)
    more = [record(cast.case, cast.clinician, name=f"b{n}.pdf") for n in range(10)]
    post_step(client, draft, "clinical", cite=[(r, "1-2") for r in records + more])
    assert RecordCitation.objects.count() == 12
    assert (count(client, url), count(client, review)) == few
