"""Therapy response on the case page: the plateau note, the progress charts, recording and
correcting assessments, and the demo cases (docs/domain.md §5)."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Assessment, Case, Instrument, OutcomeScore, Treatment
from cases.selectors.cases import case_with_records
from cases.selectors.outcomes import (
    case_outcome_trends,
    case_progress_charts,
    plateau_candidates,
)
from tests.support.cast import client_for
from tests.support.factories import (
    AssessmentFactory,
    ClinicianFactory,
    OutcomeScoreFactory,
    TreatmentFactory,
    WorkRestrictionFactory,
    WorkStatusFactory,
)

SVG = "{http://www.w3.org/2000/svg}"


def instrument(abbreviation: str) -> Instrument:
    return Instrument.objects.get(abbreviation=abbreviation)


def score_case(case, clinician, abbreviation: str, series: list[tuple[int, str]]) -> None:
    """Assessments on the given days after the injury, one score each."""
    measure = instrument(abbreviation)
    case.tracked_instruments.add(measure)
    for days, value in series:
        when = case.date_of_injury + timedelta(days=days)
        assessment = Assessment.objects.filter(case=case, date=when).first() or AssessmentFactory(
            case=case, clinician=clinician, date=when
        )
        OutcomeScoreFactory(assessment=assessment, instrument=measure, value=Decimal(value))


def page(user, case) -> str:
    response = client_for(user).get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def charts_in(html: str) -> dict[str, ET.Element]:
    """Every progress chart's SVG, parsed as XML, by its title."""
    charts = {}
    for text in re.findall(r"<svg\b[^>]*progress-chart-svg.*?</svg>", html, re.S):
        svg = ET.fromstring(text)
        charts[svg.find(f"{SVG}title").text] = svg
    return charts


def plot_box(svg: ET.Element) -> tuple[float, float, float, float]:
    """left, top, right, bottom of the plot, read from the drawn axes."""
    y_axis, x_axis = svg.find(f"{SVG}g[@class='chart-axes']").findall(f"{SVG}line")
    return (
        float(y_axis.get("x1")),
        float(y_axis.get("y1")),
        float(x_axis.get("x2")),
        float(x_axis.get("y1")),
    )


# --- the plateau note ---------------------------------------------------------------


def test_plateaued_case_shows_the_note_with_its_reasons(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (60, "40"), (102, "38")])
    html = page(cast.clinician, cast.case)
    assert "Therapy response" in html
    assert "Plateau candidate: every tracked measure (ODI) has plateaued" in html
    assert (
        "ODI: 40 → 38 over 6 weeks, 2 points better, under its MCID of 10, and the trend "
        "projects 2.7 more points of improvement in the next 8 weeks, also under the MCID: "
        "plateaued."
    ) in html
    assert "Restrictions have not changed over the window." in html
    assert "Deteriorating" not in html


def test_improving_case_is_not_a_plateau_candidate(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (30, "48"), (60, "35")])
    html = page(cast.clinician, cast.case)
    assert "Not a plateau candidate: ODI is still improving." in html
    assert "ODI: 48 → 35 over 4 weeks, 13 points better, at least its MCID of 10" in html
    assert "still improving, not a plateau." in html


def test_deteriorating_case_shows_the_flag_and_is_not_a_candidate(cast):
    # ODI flat; NPRS 5 → 7 over the last six weeks, worse by its MCID of 2 points.
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (60, "40"), (102, "38")])
    score_case(cast.case, cast.clinician, "NPRS", [(0, "7"), (60, "5"), (102, "7")])
    html = page(cast.clinician, cast.case)
    note = html[html.index('class="plateau-note') : html.index("</aside>")]
    assert "Not a plateau candidate: NPRS is deteriorating and needs attention." in note
    assert 'class="deteriorating-flag' in note
    assert "Deteriorating: NPRS." in note
    assert (
        "NPRS: 5 → 7 over 6 weeks, 2 points worse, at least its MCID of 2 points: "
        "deteriorating, not a plateau."
    ) in note
    assert "style=" not in note


def test_slow_steady_improver_is_not_a_plateau_and_says_why(cast):
    # ODI 8 points every six weeks: under the MCID between any two assessments.
    score_case(
        cast.case,
        cast.clinician,
        "ODI",
        [(0, "60"), (42, "52"), (84, "44"), (126, "36")],
    )
    html = page(cast.clinician, cast.case)
    assert "Not a plateau candidate: ODI is still improving." in html
    assert (
        "ODI: 44 → 36 over 6 weeks, 8 points better, under its MCID of 10, but the trend "
        "projects 10.7 more points of improvement in the next 8 weeks: still improving, not a "
        "plateau."
    ) in html


def test_assessments_less_than_four_weeks_apart_are_not_enough(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "40"), (20, "40")])
    html = page(cast.clinician, cast.case)
    assert "Not a plateau candidate" in html
    assert (
        "not enough data: needs two assessments at least four weeks apart within the last "
        "8 weeks" in html
    )


def test_restrictions_changed_inside_the_window_is_not_a_candidate(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (60, "40"), (102, "38")])
    injury = cast.case.date_of_injury
    WorkRestrictionFactory(
        work_status=WorkStatusFactory(
            case=cast.case,
            effective_from=injury + timedelta(days=20),
            expected_through=injury + timedelta(days=80),
        ),
        max_pounds=20,
    )
    # Renewed with the same restriction: no change.
    WorkRestrictionFactory(
        work_status=WorkStatusFactory(
            case=cast.case,
            effective_from=injury + timedelta(days=80),
            expected_through=injury + timedelta(days=190),
        ),
        max_pounds=20,
    )
    assert "Plateau candidate: every tracked measure" in page(cast.clinician, cast.case)

    WorkRestrictionFactory(
        work_status=WorkStatusFactory(
            case=cast.case,
            effective_from=injury + timedelta(days=90),
            expected_through=injury + timedelta(days=190),
        ),
        max_pounds=35,
    )
    html = page(cast.clinician, cast.case)
    assert "Not a plateau candidate: restrictions changed." in html
    assert "Restrictions changed over the window." in html


def test_case_without_tracked_measures_shows_no_note_and_no_chart(cast):
    html = page(cast.clinician, cast.case)
    assert "Therapy response" not in html
    assert not charts_in(html)


def test_note_is_words_not_colour_and_user_text_is_escaped(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (60, "40"), (102, "38")])
    TreatmentFactory(
        case=cast.case,
        kind=Treatment.Kind.INJECTION,
        description="<script>alert(1)</script>",
        start_date=cast.case.date_of_injury + timedelta(days=70),
    )
    html = page(cast.clinician, cast.case)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    note = html[html.index('class="plateau-note') : html.index("</aside>")]
    assert "style=" not in note
    assert "Plateau candidate" in note


# --- the charts ---------------------------------------------------------------------


def test_chart_is_valid_svg_with_points_where_the_data_puts_them(cast):
    series = [(0, "60"), (42, "45"), (84, "40"), (126, "39")]
    score_case(cast.case, cast.clinician, "ODI", series)
    svg = charts_in(page(cast.clinician, cast.case))["ODI over time"]
    assert svg.get("role") == "img"
    assert "ODI" in svg.find(f"{SVG}desc").text

    left, top, right, bottom = plot_box(svg)
    circles = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "chart-point"]
    xs = [float(c.get("cx")) for c in circles]
    ys = [float(c.get("cy")) for c in circles]
    assert xs == pytest.approx([left + (right - left) * d / 126 for d, _ in series], abs=0.1)
    assert ys == pytest.approx(
        [bottom - (bottom - top) * float(v) / 100 for _, v in series], abs=0.1
    )
    line = svg.find(f"{SVG}polyline")
    assert line.get("points") == " ".join(f"{x},{y}" for x, y in zip(xs, ys, strict=True))


def test_chart_draws_the_mcid_band_around_the_baseline(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (42, "45")])
    svg = charts_in(page(cast.clinician, cast.case))["ODI over time"]
    _, top, _, bottom = plot_box(svg)
    band = svg.find(f"{SVG}rect[@class='chart-mcid-band']")
    height = bottom - top
    # Baseline 60 ± MCID 10: from 70 at the band's top to 50 at its bottom.
    assert float(band.get("y")) == pytest.approx(bottom - height * 0.70, abs=0.1)
    assert float(band.get("height")) == pytest.approx(height * 0.20, abs=0.1)
    assert band.find(f"{SVG}title").text == "MCID band: baseline 60 ± 10"


def test_chart_marks_surgery_injections_and_therapy(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (100, "40")])
    injury = cast.case.date_of_injury
    TreatmentFactory(
        case=cast.case,
        kind=Treatment.Kind.PHYSICAL_THERAPY,
        description="Core stability",
        start_date=injury + timedelta(days=10),
        end_date=injury + timedelta(days=60),
    )
    TreatmentFactory(
        case=cast.case,
        kind=Treatment.Kind.SURGERY,
        description="L5 discectomy",
        start_date=injury + timedelta(days=50),
    )
    TreatmentFactory(
        case=cast.case,
        kind=Treatment.Kind.MEDICATION,
        description="Ibuprofen",
        start_date=injury + timedelta(days=5),
    )
    html = page(cast.clinician, cast.case)
    svg = charts_in(html)["ODI over time"]
    left, _, right, _ = plot_box(svg)
    markers = {
        marker.get("class"): float(marker.find(f"{SVG}line").get("x1"))
        for marker in svg.iter(f"{SVG}g")
        if (marker.get("class") or "").startswith("chart-marker ")
    }
    width = right - left
    assert markers == pytest.approx(
        {
            "chart-marker chart-marker-therapy-start": left + width * 0.10,
            "chart-marker chart-marker-surgery": left + width * 0.50,
            "chart-marker chart-marker-therapy-end": left + width * 0.60,
        },
        abs=0.1,
    )
    assert "Surgery: L5 discectomy" in html
    assert "Start of physical therapy: Core stability" in html
    assert "Ibuprofen (" not in html  # medication runs alongside: not a marker


def test_chart_has_a_data_table_with_dates_in_day_month_year(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (42, "45")])
    html = page(cast.clinician, cast.case)
    first = cast.case.date_of_injury
    assert f"{first.day} {first:%b %Y}</time>" in html
    assert "<td>15 better</td>" in html
    assert "Reaches MCID (10)" in html


def test_ndi_on_both_scales_is_charted_on_the_50_point_scale(cast):
    ndi = instrument("NDI")
    cast.case.tracked_instruments.add(ndi)
    for days, value, scale in [(0, "60", "100"), (42, "20", "50")]:
        assessment = AssessmentFactory(
            case=cast.case,
            clinician=cast.clinician,
            date=cast.case.date_of_injury + timedelta(days=days),
        )
        OutcomeScoreFactory(
            assessment=assessment, instrument=ndi, value=Decimal(value), scale_max=Decimal(scale)
        )
    html = page(cast.clinician, cast.case)
    assert "30 of 50 (recorded 60 %)" in html
    assert "<td>10 better</td>" in html


def test_scores_outside_an_edited_range_are_left_out_with_a_note(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (42, "45"), (84, "40")])
    Instrument.objects.filter(abbreviation="ODI").update(maximum=Decimal("50"))
    html = page(cast.clinician, cast.case)
    assert "ODI scores outside its range of 0–50 % were left out: 60 on" in html


def test_other_pages_draw_the_same_charts_from_a_case(cast):
    """Determination step 2 and the PDF reports call case_progress_charts with the case."""
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (42, "45")])
    case = case_with_records(cast.case.pk, cast.clinician)
    html = "".join(
        render_to_string("cases/partials/progress_chart.html", {"chart": chart})
        for chart in case_progress_charts(case, chart_id="step-2")
    )
    svg = charts_in(html)["ODI over time"]
    assert svg.get("aria-labelledby") == "chart-odi-step-2-title chart-odi-step-2-desc"
    assert charts_in(page(cast.clinician, cast.case))["ODI over time"].get("aria-labelledby") == (
        "chart-odi-title chart-odi-desc"
    )


# --- recording and correcting assessments ---------------------------------------------


def post_assessment(user, case, data, assessment=None):
    url = (
        reverse("assessment-edit", args=[case.pk, assessment.pk])
        if assessment
        else reverse("assessment-add", args=[case.pk])
    )
    return client_for(user).post(url, data)


def test_assessment_page_asks_for_everything_on_one_page(cast):
    cast.case.tracked_instruments.set([instrument("ODI"), instrument("PHQ-9")])
    response = client_for(cast.clinician).get(reverse("assessment-add", args=[cast.case.pk]))
    html = response.content.decode()
    for label in ["Date", "Clinician", "pain now (0–10)", "ODI (", "PHQ-9 (", "Notes"]:
        assert label.lower() in html.lower()
    assert f'<option value="{cast.clinician.pk}" selected>' in html


def test_assessment_is_recorded_by_another_clinician_on_the_care_team(cast):
    colleague = ClinicianFactory()
    cast.case.care_team.add(colleague)
    odi = instrument("ODI")
    cast.case.tracked_instruments.set([odi])
    today = cast.case.date_of_injury + timedelta(days=30)
    response = post_assessment(
        cast.clinician,
        cast.case,
        {"date": str(today), "clinician": colleague.pk, f"score_{odi.pk}": "42"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(case=cast.case).clinician == colleague


def test_clinician_not_on_the_care_team_is_refused(cast):
    response = post_assessment(
        cast.clinician,
        cast.case,
        {
            "date": str(cast.case.date_of_injury + timedelta(days=30)),
            "clinician": cast.other_clinician.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.filter(case=cast.case).exists()


def test_assessment_before_the_injury_is_refused(cast):
    response = post_assessment(
        cast.clinician,
        cast.case,
        {"date": str(cast.case.date_of_injury - timedelta(days=1))},
    )
    assert "The assessment date cannot be before the injury." in response.content.decode()
    assert not Assessment.objects.filter(case=cast.case).exists()


@pytest.mark.parametrize(
    ("abbreviation", "value", "scale", "message"),
    [
        ("ODI", "120", None, "ODI must be between 0 and 100 %"),
        ("PHQ-9", "28", None, "PHQ-9 must be between 0 and 27 points"),
        ("LEFS", "-3", None, "LEFS must be between 0 and 80 points"),
        ("NDI", "60", "50.00", "NDI must be between 0 and 50 points"),
        ("NDI", "101", "100.00", "NDI must be between 0 and 100 %"),
    ],
)
def test_score_outside_its_range_is_refused_next_to_the_field(
    cast, abbreviation, value, scale, message
):
    measure = instrument(abbreviation)
    cast.case.tracked_instruments.set([measure])
    data = {
        "date": str(cast.case.date_of_injury + timedelta(days=30)),
        f"score_{measure.pk}": value,
    }
    if scale:
        data[f"score_{measure.pk}_scale"] = scale
    response = post_assessment(cast.clinician, cast.case, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    field_error = re.search(rf'id="error_\d+_id_score_{measure.pk}"[^>]*>(.*?)</', html, re.S)
    assert field_error and message in field_error.group(1)
    assert not Assessment.objects.exists()
    assert not OutcomeScore.objects.exists()


def test_ndi_of_60_percent_is_accepted_on_the_percent_scale(cast):
    ndi = instrument("NDI")
    cast.case.tracked_instruments.set([ndi])
    response = post_assessment(
        cast.clinician,
        cast.case,
        {
            "date": str(cast.case.date_of_injury + timedelta(days=30)),
            f"score_{ndi.pk}": "60",
            f"score_{ndi.pk}_scale": "100.00",
        },
    )
    assert response.status_code == 302
    score = OutcomeScore.objects.get()
    assert (score.value, score.scale_max) == (Decimal("60"), Decimal("100"))


def test_correcting_a_score_keeps_its_history_and_deletes_nothing(cast):
    odi = instrument("ODI")
    cast.case.tracked_instruments.set([odi])
    when = str(cast.case.date_of_injury + timedelta(days=30))
    post_assessment(cast.clinician, cast.case, {"date": when, f"score_{odi.pk}": "44"})
    assessment = Assessment.objects.get(case=cast.case)
    score = assessment.scores.get()

    response = post_assessment(
        cast.clinician, cast.case, {"date": when, f"score_{odi.pk}": "34"}, assessment
    )
    assert response.status_code == 302
    corrected = assessment.scores.get()
    assert corrected.pk == score.pk and corrected.value == Decimal("34")
    history = list(corrected.history.order_by("history_date"))
    assert [(h.history_type, h.value) for h in history] == [
        ("+", Decimal("44")),
        ("~", Decimal("34")),
    ]
    assert history[-1].history_user == cast.clinician
    assert not OutcomeScore.history.filter(history_type="-").exists()


def test_correction_page_shows_the_recorded_values(cast):
    score_case(cast.case, cast.clinician, "ODI", [(10, "44")])
    assessment = Assessment.objects.get(case=cast.case)
    response = client_for(cast.clinician).get(
        reverse("assessment-edit", args=[cast.case.pk, assessment.pk])
    )
    html = response.content.decode()
    assert "Correct assessment" in html
    assert 'value="44"' in html
    assert "the earlier values stay in the assessment" in html


# --- the instruments in the admin -----------------------------------------------------


def test_admin_edits_an_instrument_with_its_alternative_scale_and_source(cast):
    ndi = instrument("NDI")
    client = client_for(cast.admin)
    url = reverse("admin:cases_instrument_change", args=[ndi.pk])
    html = client.get(url).content.decode()
    for field in ["alternative_maximum", "source", "mcid_percent", "higher_is_better"]:
        assert f'name="{field}"' in html
    response = client.post(
        url,
        {
            "abbreviation": "NDI",
            "name": ndi.name,
            "minimum": "0",
            "maximum": "50",
            "alternative_maximum": "100",
            "unit": ndi.unit,
            "mcid": "8.5",
            "mcid_percent": "",
            "source": "Local audit 2026",
        },
    )
    assert response.status_code == 302
    ndi.refresh_from_db()
    assert (ndi.mcid, ndi.source) == (Decimal("8.5"), "Local audit 2026")


def test_an_edited_mcid_changes_the_verdict(cast):
    score_case(cast.case, cast.clinician, "ODI", [(0, "60"), (60, "40"), (102, "29")])
    assert "Not a plateau candidate: ODI is still improving." in page(cast.clinician, cast.case)
    # 11 better is under 12, but 11 in six weeks projects 14.7 in eight: still improving.
    Instrument.objects.filter(abbreviation="ODI").update(mcid=Decimal("12"))
    html = page(cast.clinician, cast.case)
    assert "Not a plateau candidate: ODI is still improving." in html
    assert (
        "ODI: 40 → 29 over 6 weeks, 11 points better, under its MCID of 12, but the trend" in html
    )
    Instrument.objects.filter(abbreviation="ODI").update(mcid=Decimal("15"))
    html = page(cast.clinician, cast.case)
    assert "Plateau candidate: every tracked measure (ODI) has plateaued" in html
    assert "ODI: 40 → 29 over 6 weeks, 11 points better, under its MCID of 15" in html


# --- query counts ---------------------------------------------------------------------


def fill(case, clinician, assessments: int) -> None:
    """A case with two tracked measures, treatments and work statuses; `assessments`
    assessments, spread weekly."""
    injury = case.date_of_injury
    start = Assessment.objects.filter(case=case).count()
    for week in range(start, start + assessments):
        when = injury + timedelta(days=1 + week * 6)
        assessment = AssessmentFactory(case=case, clinician=clinician, date=when)
        for abbreviation in ["ODI", "NPRS"]:
            measure = instrument(abbreviation)
            case.tracked_instruments.add(measure)
            OutcomeScoreFactory(
                assessment=assessment,
                instrument=measure,
                value=measure.maximum - (week % 5),
            )
        TreatmentFactory(case=case, kind=Treatment.Kind.INJECTION, start_date=when)
        WorkRestrictionFactory(
            work_status=WorkStatusFactory(
                case=case,
                effective_from=when,
                expected_through=when + timedelta(days=60),
                issued_by=clinician,
            )
        )


def queries_for_page(user, case) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(case.get_absolute_url()).status_code == 200
    return len(queries)


def test_case_page_makes_the_same_queries_with_3_and_30_assessments(cast):
    fill(cast.case, cast.clinician, 3)
    few = queries_for_page(cast.clinician, cast.case)
    fill(cast.case, cast.clinician, 27)
    assert Assessment.objects.filter(case=cast.case).count() == 30
    assert queries_for_page(cast.clinician, cast.case) == few


@pytest.mark.parametrize("assessments", [3, 30])
def test_outcome_trends_make_no_query_beyond_the_prefetch(
    cast, assessments, django_assert_num_queries
):
    fill(cast.case, cast.clinician, assessments)
    case = case_with_records(cast.case.pk, cast.clinician)
    with django_assert_num_queries(0):
        outcomes = case_outcome_trends(case)
    assert [len(chart.points) for chart in outcomes.charts] == [assessments, assessments]


# --- the demo data --------------------------------------------------------------------


@pytest.fixture
def demo(module_demo, db):
    """The demo, seeded once for this module (tests/conftest.py)."""


def test_demo_lisa_reed_is_a_plateau_candidate(demo):
    lisa = Case.objects.get(claim_number="GCC-2026-0202")
    clinician = lisa.care_team.get()
    outcomes = case_outcome_trends(case_with_records(lisa.pk, clinician))
    assert outcomes.verdict.is_candidate, outcomes.verdict.reasons
    html = page(clinician, lisa)
    assert "QuickDASH: 49 → 48 over 7 weeks, 1 point better, under its MCID of 15.91" in html
    assert not outcomes.verdict.is_deteriorating
    assert set(charts_in(html)) == {"QuickDASH over time", "NPRS over time"}


def test_demo_maria_sanchez_is_not_a_candidate_while_she_improves(demo):
    maria = Case.objects.get(claim_number="LSM-2026-0102")
    clinician = maria.care_team.first()
    outcomes = case_outcome_trends(case_with_records(maria.pk, clinician))
    assert not outcomes.verdict.is_candidate
    assert not outcomes.verdict.is_deteriorating
    assert outcomes.verdict.reasons[1].startswith(
        "LEFS: 31 → 53 over 6 weeks, 22 points better, at least its MCID of 9, and the trend"
    )
    assert "Not a plateau candidate: LEFS and NPRS are still improving." in page(clinician, maria)


def test_demo_plateau_worklist_has_lisa_and_not_maria(demo):
    claims = [case.claim_number for case, _ in plateau_candidates(Case.objects.all())]
    assert "GCC-2026-0202" in claims
    assert "LSM-2026-0102" not in claims
