"""A record a signed certification cites: kept as it was read (neither withdrawn, changed nor
deleted), and said so on its page; the pages a citation names, read and written back; the
upload page opened from a determination's step goes back to it."""

from urllib.parse import quote

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from cases import services
from outside_records.citations import PagesRefused, cited_pages
from outside_records.models import OutsideRecord, RecordCitation, RecordLocked
from tests.support.cast import client_for
from tests.support.determinations import complete_draft, valid_answers
from tests.support.outside_records import pdf_bytes, record_on, upload

pytestmark = pytest.mark.usefixtures("module_cast")


@pytest.mark.parametrize(
    "typed,written",
    [
        ("", ""),
        ("3, 7-9", "3, 7–9"),
        ("9–10 ; 2,3", "2–3, 9–10"),
        ("4-6, 5-8", "4–8"),
        (" 1 ", "1"),
    ],
)
def test_pages_are_written_back_in_order_one_way(typed, written):
    assert cited_pages(typed, 10) == written


@pytest.mark.parametrize("typed", ["11", "0", "5-2", "3,,x", "1-2-3", "9" * 7])
def test_pages_the_record_does_not_have_are_refused(typed):
    with pytest.raises(PagesRefused):
        cited_pages(typed, 10)


def cite_and_sign(cast, record):
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    complete_draft(draft, cast.clinician)
    client_for(cast.clinician).post(
        reverse("determination-step", args=[draft.pk, "clinical"]),
        {
            **valid_answers(cast.case, "clinical"),
            "revision": 1,
            "cite-records": [str(record.pk)],
            f"cite-pages_{record.pk}": "1",
        },
    )
    assert RecordCitation.objects.filter(record=record).exists()
    return services.determination_sign(determination=draft, signed_by=cast.clinician)


def test_withdrawing_a_record_a_signed_certification_cites_is_refused_with_why(cast):
    record = record_on(cast.case, cast.case_manager)
    cite_and_sign(cast, record)
    client = client_for(cast.case_manager)

    page = client.get(reverse("outside_records:record-detail", args=[record.pk])).content.decode()
    assert "Cited by MMI certification v1, signed" in page
    assert "Withdraw this record" not in page

    response = client.post(
        reverse("outside_records:record-withdraw", args=[record.pk]), {"reason": "Duplicate"}
    )
    assert response.status_code == 409
    assert "This record cannot be withdrawn: MMI certification v1 of this case" in (
        response.content.decode()
    )
    record.refresh_from_db()
    assert not record.is_withdrawn


def test_a_record_a_signed_certification_cites_cannot_be_changed_nor_deleted(cast):
    record = record_on(cast.case, cast.case_manager)
    signed = cite_and_sign(cast, record)
    record.author = "Someone else"
    with pytest.raises(RecordLocked):
        record.save()
    with pytest.raises(RecordLocked):
        OutsideRecord.objects.filter(pk=record.pk).update(author="Someone else")
    with pytest.raises(ProtectedError):
        OutsideRecord.objects.filter(pk=record.pk).delete()
    citation = RecordCitation.objects.get(step__determination=signed)
    with pytest.raises(RecordLocked):
        citation.delete()
    with pytest.raises(RecordLocked):
        RecordCitation.objects.filter(pk=citation.pk).update(pages="2")


def test_a_record_only_a_draft_cites_can_be_withdrawn(cast):
    record = record_on(cast.case, cast.case_manager)
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    complete_draft(draft, cast.clinician)
    services.determination_save_step(
        determination=draft,
        slug="therapy",
        columns={},
        answers={},
        expected_revision=1,
        saved_by=cast.clinician,
        citations=[],
    )
    response = client_for(cast.case_manager).post(
        reverse("outside_records:record-withdraw", args=[record.pk]), {"reason": "Duplicate"}
    )
    assert response.status_code == 302


def test_the_upload_opened_from_a_step_goes_back_to_it(cast):
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    step = reverse("determination-step", args=[draft.pk, "diagnostics"])
    client = client_for(cast.clinician)
    page = client.get(step).content.decode()
    upload_url = reverse("outside_records:record-upload", args=[cast.case.pk])
    assert f'href="{upload_url}?next={quote(step, safe="")}"' in page

    response = client.post(
        f"{upload_url}?next={step}",
        {
            "documents": [upload("mri.pdf", pdf_bytes(3))],
            "document_type": "imaging",
            "received_on": "2026-10-02",
            "received_from": "Lone Star Mutual",
        },
    )
    assert response.status_code == 302 and response.url == step
    assert "mri.pdf" in client.get(step).content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "http://testserver/cases/", "cases/"]
)
def test_the_upload_goes_back_only_to_a_path_of_this_site(cast, target):
    upload_url = reverse("outside_records:record-upload", args=[cast.case.pk])
    response = client_for(cast.case_manager).post(
        f"{upload_url}?next={target}",
        {
            "documents": [upload("mri.pdf", pdf_bytes(3))],
            "document_type": "imaging",
            "received_on": "2026-10-02",
            "received_from": "Lone Star Mutual",
        },
    )
    assert response.status_code == 302
    assert response.url == f"{cast.case.get_absolute_url()}#outside-records"


def test_steps_1_3_and_4_and_the_dispute_form_offer_the_upload(cast):
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    client = client_for(cast.clinician)
    upload_url = reverse("outside_records:record-upload", args=[cast.case.pk])
    offered = {
        slug: upload_url
        in client.get(reverse("determination-step", args=[draft.pk, slug])).content.decode()
        for slug in ("clinical", "therapy", "diagnostics", "consultations", "legal", "outcome")
    }
    assert offered == {
        "clinical": True,
        "therapy": False,
        "diagnostics": True,
        "consultations": True,
        "legal": False,
        "outcome": False,
    }
    complete_draft(draft, cast.clinician)
    signed = services.determination_sign(determination=draft, signed_by=cast.clinician)
    dispute = reverse("dispute-add", args=[signed.pk])
    page = client_for(cast.case_manager).get(dispute).content.decode()
    assert f'href="{upload_url}?next={quote(dispute, safe="")}"' in page
