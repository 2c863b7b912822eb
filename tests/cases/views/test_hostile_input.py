"""Hostile strings in every free-text field: stored exactly, shown as text, never executed,
never a 500. NUL bytes and over-long text are refused with a message and nothing is saved."""

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import (
    Case,
    Consultation,
    DeterminationStep,
    Diagnostic,
    Organisation,
    Treatment,
    WorkStatus,
)
from tests.support.cast import Cast, client_for
from tests.support.determinations import signed_determination, valid_answers
from tests.support.factories import OrganisationFactory
from tests.support.reports import determination, fill_record, name_the_parties, squeezed
from tests.support.reports import text as pdf_text

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

TODAY = timezone.localdate

HOSTILE = {
    "script-tag": "<script>alert('owned')</script>",
    "img-onerror": '<img src=x onerror="alert(1)">',
    "attribute-breakout": '" onmouseover="alert(1)" data-x="',
    "javascript-url": "javascript:alert(document.cookie)",
    "svg-onload": "<svg/onload=alert(1)>",
    "sql-fragment": "Robert'); DROP TABLE cases_case; --",
    "sql-union": "' OR 1=1 UNION SELECT password FROM cases_user --",
    "template-syntax": "{{ request.user.password }}{% debug %}",
    "control-characters": "bell\u0007escape\u001b[31mred\u0008back",
    "right-to-left-override": "invoice\u202egnp.exe",
    "zero-width-and-bom": "zero\u200bwidth\ufeffjoin",
    "combining-and-emoji": "Zalgo\u0301\u0302\u0303 🩺",
}


@dataclass
class FormUnderTest:
    """One form: where it posts, who may post it, valid data, and its free-text fields."""

    url: Callable[[Cast], str]
    role: str
    data: Callable[[Cast], dict]
    # form key → (model, model field) the value is stored in
    fields: dict[str, tuple[type[models.Model], str]]
    # pages that show what was saved
    shown_on: Callable[[Cast], list[str]]
    saved: Callable[[Cast, type[models.Model]], models.Model]


def latest(cast, model):
    return model._default_manager.order_by("-pk").first()


def case_pages(cast):
    return [cast.case.get_absolute_url(), reverse("case-history", args=[cast.case.pk])]


def open_case_data(cast):
    return {
        "patient-first_name": "Rosa",
        "patient-last_name": "Diaz",
        "patient-date_of_birth": "1984-02-29",
        "case-claim_number": "LSM-HOSTILE",
        "case-jurisdiction": "TX",
        "case-date_of_injury": str(TODAY() - timedelta(days=30)),
        "case-body_part": "knee",
        "case-employer": OrganisationFactory(kind=Organisation.Kind.EMPLOYER).pk,
        "case-insurer": cast.case.insurer.pk,
        **periods_data([(TODAY() - timedelta(days=29), None)]),
    }


def periods_data(periods) -> dict:
    """The case form's periods of disability formset, one row per (from, through)."""
    data = {
        "periods-TOTAL_FORMS": str(len(periods)),
        "periods-INITIAL_FORMS": "0",
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "20",
    }
    for index, (began, ended) in enumerate(periods):
        data[f"periods-{index}-began"] = str(began)
        data[f"periods-{index}-ended"] = str(ended) if ended else ""
    return data


def edit_case_data(cast):
    case = cast.case
    return {
        "case-claim_number": case.claim_number,
        "case-jurisdiction": case.jurisdiction,
        "case-date_of_injury": str(case.date_of_injury),
        "case-body_part": case.body_part,
        "case-employer": case.employer_id,
        "case-insurer": case.insurer_id,
        "case-case_manager": case.case_manager_id,
        "case-care_team": [cast.clinician.pk],
        # The case's periods of disability, kept as they are.
        **periods_data(case.disability_periods.values_list("began", "ended")),
    }


FORMS = {
    "open-case": FormUnderTest(
        url=lambda cast: reverse("case-open"),
        role="case_manager",
        data=open_case_data,
        fields={
            "patient-first_name": (Case, "patient.first_name"),
            "patient-last_name": (Case, "patient.last_name"),
            "patient-phone": (Case, "patient.phone"),
            "patient-address": (Case, "patient.address"),
            "case-claim_number": (Case, "claim_number"),
            "case-state_claim_number": (Case, "state_claim_number"),
            "case-injury_description": (Case, "injury_description"),
        },
        shown_on=lambda cast: [
            Case.objects.order_by("-pk").first().get_absolute_url(),
            reverse("case-list"),
        ],
        saved=latest,
    ),
    "edit-case": FormUnderTest(
        url=lambda cast: reverse("case-edit", args=[cast.case.pk]),
        role="case_manager",
        data=edit_case_data,
        fields={
            "case-state_claim_number": (Case, "state_claim_number"),
            "case-injury_description": (Case, "injury_description"),
        },
        shown_on=case_pages,
        saved=lambda cast, model: Case.objects.get(pk=cast.case.pk),
    ),
    "treatment": FormUnderTest(
        url=lambda cast: reverse("record-add", args=[cast.case.pk, "treatments"]),
        role="clinician",
        data=lambda cast: {"kind": "pt", "description": "PT", "start_date": str(TODAY())},
        fields={
            "description": (Treatment, "description"),
            "provider": (Treatment, "provider"),
            "notes": (Treatment, "notes"),
        },
        shown_on=case_pages,
        saved=latest,
    ),
    "diagnostic": FormUnderTest(
        url=lambda cast: reverse("record-add", args=[cast.case.pk, "diagnostics"]),
        role="clinician",
        data=lambda cast: {
            "kind": "mri",
            "date": str(TODAY()),
            "findings": "Stable",
            "stability": "stable",
        },
        fields={"body_part": (Diagnostic, "body_part"), "findings": (Diagnostic, "findings")},
        shown_on=case_pages,
        saved=latest,
    ),
    "consultation": FormUnderTest(
        url=lambda cast: reverse("record-add", args=[cast.case.pk, "consultations"]),
        role="clinician",
        data=lambda cast: {
            "kind": "ime",
            "date": str(TODAY()),
            "consultant": "Dr. Ward",
            "opinion": "At MMI",
            "mmi_opinion": "agrees",
        },
        fields={
            "consultant": (Consultation, "consultant"),
            "specialty": (Consultation, "specialty"),
            "opinion": (Consultation, "opinion"),
        },
        shown_on=case_pages,
        saved=latest,
    ),
    "assessment": FormUnderTest(
        url=lambda cast: reverse("assessment-add", args=[cast.case.pk]),
        role="clinician",
        data=lambda cast: {"date": str(TODAY()), "pain_score": "4"},
        fields={
            "findings": (apps.get_model("cases", "Assessment"), "findings"),
            "notes": (apps.get_model("cases", "Assessment"), "notes"),
        },
        shown_on=case_pages,
        saved=latest,
    ),
    "work-status": FormUnderTest(
        url=lambda cast: reverse("work-status-add", args=[cast.case.pk]),
        role="clinician",
        data=lambda cast: {
            "kind": "off_work",
            "effective_from": str(TODAY()),
            "expected_through": str(TODAY() + timedelta(days=30)),
            "explanation": "Post-operative",
            "restrictions-TOTAL_FORMS": "3",
            "restrictions-INITIAL_FORMS": "0",
            "restrictions-0-category": "lift_carry",
            "restrictions-0-activity": "lift",
        },
        fields={
            "explanation": (WorkStatus, "explanation"),
            "medication_effects": (WorkStatus, "medication_effects"),
            "restrictions-0-activity": (
                apps.get_model("cases", "WorkRestriction"),
                "activity",
            ),
            "restrictions-0-notes": (apps.get_model("cases", "WorkRestriction"), "notes"),
        },
        shown_on=case_pages,
        saved=latest,
    ),
}


def stored(form: FormUnderTest, cast, key: str):
    model, path = form.fields[key]
    value = form.saved(cast, model)
    for part in path.split("."):
        value = getattr(value, part)
    return value


def max_length(model: type[models.Model], path: str) -> int:
    *relations, name = path.split(".")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name).max_length


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("cases").get_models()
    }


class ActiveContent(HTMLParser):
    """Collects what a browser would run: inline scripts, event handlers, javascript: URLs,
    and elements a hostile string would have smuggled in."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag in {"svg", "img"} and names.get("src", "") in {"x", None}:
            self.found.append(f"injected <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}=javascript:")


def active_content(page: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(page)
    return parser.found


PARAMS = [pytest.param(form, kind, id=f"{form}-{kind}") for form in FORMS for kind in HOSTILE]


@pytest.mark.parametrize("form_name,kind", PARAMS)
def test_hostile_string_is_stored_exactly_and_shown_as_text(form_name, kind, cast):
    form = FORMS[form_name]
    client = client_for(cast.roles()[form.role])
    value = HOSTILE[kind]
    data = form.data(cast)
    for key, (model, path) in form.fields.items():
        data[key] = value[: max_length(model, path)]
    response = client.post(form.url(cast), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    for key, (model, path) in form.fields.items():
        assert stored(form, cast, key) == value[: max_length(model, path)], key
    shown_somewhere = False
    for url in form.shown_on(cast):
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert active_content(text) == [], url
        shown_somewhere |= value[:40] in html.unescape(text)
    assert shown_somewhere, "the value is shown, as text, on the record's page"


FIELD_PARAMS = [
    pytest.param(form, key, id=f"{form}-{key}") for form in FORMS for key in FORMS[form].fields
]


@pytest.mark.parametrize("form_name,key", FIELD_PARAMS)
def test_over_long_text_is_refused_with_a_message_not_truncated(form_name, key, cast):
    form = FORMS[form_name]
    client = client_for(cast.roles()[form.role])
    limit = max_length(*form.fields[key])
    data = form.data(cast)
    data[key] = "x" * (limit + 1)
    before = row_counts()
    response = client.post(form.url(cast), data)
    assert response.status_code == 200
    message = f"Ensure this value has at most {limit} characters (it has {limit + 1})."
    assert message in response.content.decode()
    assert row_counts() == before


@pytest.mark.parametrize("form_name,key", FIELD_PARAMS)
def test_nul_byte_is_refused_with_a_message(form_name, key, cast):
    form = FORMS[form_name]
    client = client_for(cast.roles()[form.role])
    data = form.data(cast)
    data[key] = "before\x00after"
    before = row_counts()
    response = client.post(form.url(cast), data)
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert row_counts() == before


def test_hostile_search_terms_are_shown_as_text(cast):
    client = client_for(cast.case_manager)
    for value in HOSTILE.values():
        response = client.get(reverse("case-list"), {"q": value})
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()


def test_nul_byte_in_a_search_is_not_a_500(cast):
    response = client_for(cast.case_manager).get(reverse("case-list"), {"q": "a\x00b"})
    assert response.status_code in {200, 400}


def test_hostile_username_at_login_is_shown_as_text(db, client):
    for value in HOSTILE.values():
        response = client.post(reverse("login"), {"username": value, "password": "x"})
        assert response.status_code in {200, 429}
        assert "<script>alert" not in response.content.decode()
    response = client.post(reverse("login"), {"username": "a\x00b", "password": "x"})
    assert response.status_code in {200, 429}


# --- The MMI determination: its steps, the signed PDF, rescinding and disputes -----------

STEP_TEXT_FIELDS = {
    "clinical": [
        "history",
        "complaints",
        "objective_findings",
        "functional_status",
        "psychological_notes",
    ],
    "therapy": ["interpretation"],
    "diagnostics": ["objective_findings"],
    "outcome": ["permanent_restrictions", "future_care", "return_to_work", "rationale"],
}
STEP_PARAMS = [
    pytest.param(slug, kind, id=f"{slug}-{kind}") for slug in STEP_TEXT_FIELDS for kind in HOSTILE
]


@pytest.fixture
def draft(cast):
    return services.determination_start(case=cast.case, started_by=cast.clinician)


def post_step(client, determination, slug, **changes):
    data = {**valid_answers(determination.case, slug), "revision": 0, **changes}
    return client.post(reverse("determination-step", args=[determination.pk, slug]), data)


@pytest.mark.parametrize("slug,kind", STEP_PARAMS)
def test_hostile_step_answers_are_shown_as_text(slug, kind, cast, draft):
    client = client_for(cast.clinician)
    value = HOSTILE[kind]
    if slug == "outcome":
        for earlier in ("clinical", "therapy", "diagnostics", "consultations", "legal"):
            assert post_step(client, draft, earlier).status_code == 302
    response = post_step(client, draft, slug, **dict.fromkeys(STEP_TEXT_FIELDS[slug], value))
    assert response.status_code == 302, response.content.decode()[:2000]
    for url in (
        reverse("determination-step", args=[draft.pk, slug]),
        reverse("determination-review", args=[draft.pk]),
        draft.get_absolute_url(),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert active_content(page.content.decode()) == [], url
    step_page = client.get(reverse("determination-step", args=[draft.pk, slug]))
    assert value in html.unescape(step_page.content.decode())


@pytest.mark.parametrize("slug", sorted(STEP_TEXT_FIELDS))
def test_step_refuses_nul_and_over_long_text_with_a_message(slug, cast, draft):
    client = client_for(cast.clinician)
    field = STEP_TEXT_FIELDS[slug][0]
    before = list(DeterminationStep.objects.values())
    refused = post_step(client, draft, slug, **{field: "a\x00b"})
    assert refused.status_code == 200
    assert "Null characters are not allowed." in refused.content.decode()
    too_long = post_step(client, draft, slug, **{field: "x" * 4001})
    assert too_long.status_code == 200
    assert (
        "Ensure this value has at most 4000 characters (it has 4001)." in too_long.content.decode()
    )
    assert list(DeterminationStep.objects.values()) == before


PDF_SAFE = {kind: HOSTILE[kind] for kind in ("script-tag", "img-onerror", "javascript-url")}


@pytest.mark.pdf
def test_hostile_text_prints_as_text_in_the_signed_certification(cast):
    name_the_parties(cast.case)
    fill_record(cast.case, cast.clinician, assessments=2, treatments=1)
    hostile = " ".join(PDF_SAFE.values()) + " " + HOSTILE["sql-fragment"]
    signed = determination(cast.case, cast.clinician, rationale=hostile)
    response = client_for(cast.adjuster).get(reverse("report-certification", args=[signed.pk]))
    assert response.status_code == 200
    printed = squeezed(pdf_text(response.content))
    for value in (*PDF_SAFE.values(), HOSTILE["sql-fragment"]):
        assert squeezed(value) in printed


def test_hostile_rescind_reason_and_dispute_notes_are_shown_as_text(cast):
    signed = signed_determination(cast.case, cast.clinician)
    manager = client_for(cast.case_manager)
    for value in HOSTILE.values():
        dispute = manager.post(
            reverse("dispute-add", args=[signed.pk]),
            {
                "disputed_by": "carrier",
                "disputed_issue": "both",
                "notice_date": str(TODAY()),
                "received_on": str(TODAY()),
                "review_requested": "ime",
                "notes": value,
            },
        )
        assert dispute.status_code == 302, dispute.content.decode()[:2000]
    reason = " ".join(HOSTILE.values())
    rescind = client_for(cast.clinician).post(
        reverse("determination-rescind", args=[signed.pk]),
        {"category": "new_diagnosis", "reason": reason, "confirm": "on"},
    )
    assert rescind.status_code == 302, rescind.content.decode()[:2000]
    page = html.unescape(manager.get(signed.get_absolute_url()).content.decode())
    assert active_content(manager.get(signed.get_absolute_url()).content.decode()) == []
    for value in HOSTILE.values():
        assert value in page
