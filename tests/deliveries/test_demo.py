"""The demo's deliveries, seeded as `make run` seeds them (its writes committed, so what they
do after commit runs): every signed certification has its distribution list, and an older
one, signed months ago, shows each copy sent that day and the windows final."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case, Determination
from cases.reports import rendering
from deliveries.models import Recipient
from tests.support.cast import client_for
from tests.support.pdf_double import HTMLDouble

pytestmark = pytest.mark.django_db


def test_the_demos_certifications_are_listed_and_the_older_ones_delivered(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(rendering, "HTML", HTMLDouble)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())

    signed = Determination.objects.signed()
    assert signed.count() >= 7
    for determination in signed:
        listed = Recipient.objects.filter(determination=determination)
        assert {Recipient.PartyChoice.CARRIER, Recipient.PartyChoice.EMPLOYEE} <= set(
            listed.values_list("party", flat=True)
        ), determination.case

    case = Case.objects.get(patient__last_name="Shah")
    page = client_for(case.care_team.get()).get(reverse("case-detail", args=[case.pk]))
    html = page.content.decode()
    assert "E-mail on " in html and "to claims@gulfcoast.demo.invalid" in html
    assert "Mail on " in html and "PO Box 12050" in html
    assert "Delivered to all" in html and "not delivered yet" not in html
    assert "Final</span>" in html and "Waiting for delivery" not in html
