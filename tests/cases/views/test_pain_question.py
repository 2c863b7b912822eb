"""The assessment form asks pain once: as the NPRS on a case that tracks it, as "pain now"
otherwise; the case page, its chart and its PDF show the one answer alike."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.domain.dates import day_label
from cases.models import Assessment, Instrument
from tests.support.factories import AssessmentFactory, OutcomeScoreFactory
from tests.support.reports import text

pytestmark = pytest.mark.usefixtures("module_cast")

TODAY = timezone.localdate


@pytest.fixture
def nprs(db):
    return Instrument.objects.get(abbreviation="NPRS")


@pytest.fixture
def odi(db):
    return Instrument.objects.get(abbreviation="ODI")


def nprs_scores(assessment: Assessment) -> list[Decimal]:
    return [s.value for s in assessment.scores.all() if s.instrument.abbreviation == "NPRS"]


def test_a_case_tracking_the_nprs_asks_pain_once_as_the_nprs(cast, client, nprs, odi):
    cast.case.tracked_instruments.set([nprs, odi])
    client.force_login(cast.clinician)
    response = client.get(reverse("assessment-add", args=[cast.case.pk]))
    page = response.content.decode()
    assert 'name="pain_score"' not in page
    assert "Pain now, 0–10 (NPRS)" in page
    assert page.count(f'name="score_{nprs.pk}"') == 1
    assert "Oswestry Disability Index" in page


def test_a_case_not_tracking_the_nprs_asks_pain_now_once(cast, client, odi):
    cast.case.tracked_instruments.set([odi])
    client.force_login(cast.clinician)
    page = client.get(reverse("assessment-add", args=[cast.case.pk])).content.decode()
    assert page.count('name="pain_score"') == 1
    assert "Pain now (0–10)" in page
    assert "NPRS" not in page


def test_the_nprs_answer_is_pain_now_on_the_case_page_and_its_chart(cast, client, nprs):
    cast.case.tracked_instruments.set([nprs])
    client.force_login(cast.clinician)
    response = client.post(
        reverse("assessment-add", args=[cast.case.pk]),
        {"date": str(TODAY()), f"score_{nprs.pk}": "6"},
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=cast.case)
    assert assessment.pain_score == 6
    assert nprs_scores(assessment) == [Decimal("6")]

    page = client.get(cast.case.get_absolute_url()).content.decode()
    row = page[page.index(f"<td>{day_label(TODAY())}</td>") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">6</td>' in row and "NPRS 6" in row
    chart = page[page.index('id="outcome-charts"') :]
    assert f"<title>{day_label(TODAY())}: NPRS 6</title>" in chart


def test_a_half_point_nprs_is_pain_now_rounded_up(cast, client, nprs):
    cast.case.tracked_instruments.set([nprs])
    client.force_login(cast.clinician)
    client.post(
        reverse("assessment-add", args=[cast.case.pk]),
        {"date": str(TODAY()), f"score_{nprs.pk}": "4.5"},
    )
    assessment = Assessment.objects.get(case=cast.case)
    assert (assessment.pain_score, nprs_scores(assessment)) == (5, [Decimal("4.5")])


def test_correcting_the_nprs_corrects_pain_now(cast, client, nprs):
    cast.case.tracked_instruments.set([nprs])
    assessment = AssessmentFactory(case=cast.case, clinician=cast.clinician, pain_score=6)
    OutcomeScoreFactory(assessment=assessment, instrument=nprs, value=6)
    client.force_login(cast.clinician)
    edit = reverse("assessment-edit", args=[cast.case.pk, assessment.pk])
    data = {"date": str(assessment.date), "clinician": cast.clinician.pk}

    client.post(edit, {**data, f"score_{nprs.pk}": "3"})
    assessment.refresh_from_db()
    assert (assessment.pain_score, nprs_scores(assessment)) == (3, [Decimal("3")])

    client.post(edit, {**data, f"score_{nprs.pk}": ""})
    assessment.refresh_from_db()
    assert (assessment.pain_score, nprs_scores(assessment)) == (None, [])


def test_pain_recorded_before_the_case_tracked_the_nprs_is_offered_as_its_answer(
    cast, client, nprs
):
    assessment = AssessmentFactory(case=cast.case, clinician=cast.clinician, pain_score=7)
    cast.case.tracked_instruments.set([nprs])
    client.force_login(cast.clinician)
    edit = reverse("assessment-edit", args=[cast.case.pk, assessment.pk])
    form = client.get(edit).context["form"]
    assert form[f"score_{nprs.pk}"].value() == 7

    client.post(
        edit,
        {"date": str(assessment.date), "clinician": cast.clinician.pk, f"score_{nprs.pk}": "7"},
    )
    assessment.refresh_from_db()
    assert (assessment.pain_score, nprs_scores(assessment)) == (7, [Decimal("7")])


def test_pain_now_is_kept_as_asked_on_a_case_not_tracking_the_nprs(cast, client, odi):
    cast.case.tracked_instruments.set([odi])
    client.force_login(cast.clinician)
    client.post(
        reverse("assessment-add", args=[cast.case.pk]),
        {"date": str(TODAY()), "pain_score": "4", f"score_{odi.pk}": "30"},
    )
    assessment = Assessment.objects.get(case=cast.case)
    assert assessment.pain_score == 4
    assert [s.instrument.abbreviation for s in assessment.scores.all()] == ["ODI"]


@pytest.mark.pdf
def test_the_case_summary_shows_the_same_pain_as_the_nprs(cast, client, nprs):
    cast.case.tracked_instruments.set([nprs])
    client.force_login(cast.clinician)
    client.post(
        reverse("assessment-add", args=[cast.case.pk]),
        {"date": str(TODAY() - timedelta(days=1)), f"score_{nprs.pk}": "8"},
    )
    client.force_login(cast.adjuster)
    response = client.get(reverse("report-case-summary", args=[cast.case.pk]))
    assert response.status_code == 200
    body = text(response.content)
    assert f"{day_label(TODAY() - timedelta(days=1))} {cast.clinician} 8 NPRS 8" in body
