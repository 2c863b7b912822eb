"""The signed certification's narrative lists the outside records its steps cite: type, date
of service, author, who sent each and when, and the pages cited (read back from the PDF)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import DeterminationStep
from cases.reports.certification import certification_report, determination_with_records
from cases.templatetags.dates import day
from outside_records import services as record_services
from outside_records.models import OutsideRecord
from tests.support.cast import client_for
from tests.support.determinations import complete_draft, exam_day, valid_answers
from tests.support.outside_records import pdf_bytes, upload
from tests.support.reports import pages, squeezed

pytestmark = pytest.mark.usefixtures("module_cast")


def record(case, by, name, **details):
    [added] = record_services.records_upload(
        case=case,
        files=[upload(name, pdf_bytes(12, marker=name))],
        details=record_services.RecordDetails(**details),
        by=by,
    )
    return added


def cite(client, draft, slug, cited, revision=1):
    response = client.post(
        reverse("determination-step", args=[draft.pk, slug]),
        {
            **valid_answers(draft.case, slug),
            "revision": revision,
            "cite-records": [str(r.pk) for r, _ in cited],
            **{f"cite-pages_{r.pk}": p for r, p in cited},
        },
    )
    assert response.status_code == 302


@pytest.mark.pdf
def test_the_signed_certification_lists_the_medical_records_reviewed(cast):
    exam = exam_day(cast.case)
    received = timezone.localdate() - timedelta(days=3)
    mri = record(
        cast.case,
        cast.case_manager,
        "mri.pdf",
        document_type=OutsideRecord.DocumentType.IMAGING,
        service_date=exam - timedelta(days=20),
        author="Austin Imaging Center",
        received_on=exam - timedelta(days=10),
        received_from="Lone Star Mutual",
    )
    ime = record(
        cast.case,
        cast.case_manager,
        "ime.pdf",
        document_type=OutsideRecord.DocumentType.IME,
        service_date=exam - timedelta(days=5),
        author="Dr. Rosa Alvarez",
        received_on=received,
        received_from="Texas Department of Insurance",
    )
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    complete_draft(draft, cast.clinician)
    client = client_for(cast.clinician)
    cite(client, draft, "clinical", [(mri, "3, 7-9")])
    cite(client, draft, "consultations", [(ime, ""), (mri, "10")])
    signed = services.determination_sign(determination=draft, signed_by=cast.clinician)

    response = client_for(cast.adjuster).get(reverse("report-certification", args=[signed.pk]))
    assert response.status_code == 200
    narrative = [page for page in pages(response.content) if "DWC069 Rev. 01/15" not in page]
    body = squeezed(" ".join(narrative))
    section = body[body.index(squeezed("Medical records reviewed")) :]
    for expected in [
        "Imaging",
        day(mri.service_date),
        "Austin Imaging Center",
        "Lone Star Mutual",
        day(mri.received_on),
        "3, 7–10",
        "IME / designated doctor report",
        day(ime.service_date),
        "Dr. Rosa Alvarez",
        "Texas Department of Insurance",
        day(received),
        "all 12",
        f"All medical records needed were received on {day(received)}.",
    ]:
        assert squeezed(expected) in section, expected
    # Each step names what it relied on.
    assert squeezed("Outside records reviewed") in body
    assert squeezed("received 5 Oct 2026, page 10") in body or squeezed(", page 10") in body


def test_the_certification_content_makes_the_same_queries_with_1_and_6_records_cited(cast):
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    complete_draft(draft, cast.clinician)
    client = client_for(cast.clinician)

    def queries_citing(count):
        cited = [
            (
                record(
                    cast.case,
                    cast.case_manager,
                    f"r{count}-{n}.pdf",
                    document_type="lab",
                    received_on=exam_day(cast.case),
                    received_from="Lab",
                ),
                "1-2",
            )
            for n in range(count)
        ]
        revision = DeterminationStep.objects.get(determination=draft, slug="diagnostics").revision
        cite(client, draft, "diagnostics", cited, revision=revision)
        with CaptureQueriesContext(connection) as queries:
            report = certification_report(
                determination_with_records(draft.pk), generated_at=timezone.now()
            )
        assert len(report.records_reviewed) == count
        return len(queries)

    assert queries_citing(1) == queries_citing(6)
