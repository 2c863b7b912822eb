"""Signed determinations and issued reports cannot be changed or deleted: not through the
model, not through a queryset update or delete, not through the admin, not by deleting what
they hang on."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from cases.models import (
    Case,
    Determination,
    DeterminationLocked,
    DeterminationStep,
    ImmutableReport,
    IssuedReport,
)
from cases.reports.issuing import determination_reports_issue
from tests.support.cast import client_for
from tests.support.reports import determination, fill_record, name_the_parties

pytestmark = pytest.mark.usefixtures("module_cast")  # one cast, copied for each test

GUARDS = (DeterminationLocked, ImmutableReport)


@pytest.fixture
def signed(cast) -> Determination:
    name_the_parties(cast.case)
    fill_record(cast.case, cast.clinician, assessments=2, treatments=1)
    return determination(
        cast.case, cast.clinician, steps={"clinical": {"physical_findings": "Flexion 40°."}}
    )


@pytest.fixture
def issued(cast, signed) -> IssuedReport:
    return determination_reports_issue(determination=signed)[0]


def snapshot(obj) -> dict:
    return {
        field.attname: getattr(type(obj)._base_manager.get(pk=obj.pk), field.attname)
        for field in obj._meta.concrete_fields
    }


# --- Through the model and the queryset ---------------------------------------------------


def test_a_signed_determination_refuses_save(signed):
    before = snapshot(signed)
    signed.rationale = "Rewritten after the fact."
    with pytest.raises(DeterminationLocked):
        signed.save()
    with pytest.raises(DeterminationLocked):
        signed.save(update_fields=["rationale"])
    assert snapshot(signed) == before


def test_a_signed_determination_refuses_delete(signed):
    with pytest.raises(DeterminationLocked):
        signed.delete()
    assert Determination.objects.filter(pk=signed.pk).exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda qs, d: qs.update(rationale="Rewritten"),
        lambda qs, d: qs.update(impairment_rating=25),
        lambda qs, d: qs.filter(pk=d.pk).update(mmi_date=None),
        lambda qs, d: qs.update(status=Determination.Status.DRAFT),
        lambda qs, d: qs.delete(),
        lambda qs, d: qs.filter(pk=d.pk).delete(),
        lambda qs, d: qs.bulk_update([_changed(d)], ["rationale"]),
        lambda qs, d: qs.update_or_create(pk=d.pk, defaults={"rationale": "Rewritten"}),
    ],
    ids=[
        "update-text",
        "update-rating",
        "update-filtered",
        "update-status",
        "delete-all",
        "delete-filtered",
        "bulk-update",
        "update-or-create",
    ],
)
def test_a_signed_determination_refuses_queryset_writes(signed, attempt):
    before = snapshot(signed)
    with pytest.raises(GUARDS), transaction.atomic():
        attempt(Determination.objects.all(), signed)
    assert snapshot(signed) == before


def _changed(determination):
    determination.rationale = "Rewritten"
    return determination


def test_the_steps_of_a_signed_determination_refuse_change_and_delete(signed):
    step = DeterminationStep.objects.get(determination=signed)
    step.answers = {"physical_findings": "Rewritten."}
    with pytest.raises(DeterminationLocked):
        step.save()
    with pytest.raises(DeterminationLocked):
        step.delete()
    with pytest.raises(DeterminationLocked):
        DeterminationStep.objects.filter(determination=signed).update(answers={})
    with pytest.raises(DeterminationLocked):
        DeterminationStep.objects.filter(determination=signed).delete()
    assert DeterminationStep.objects.get(pk=step.pk).answers == {
        "physical_findings": "Flexion 40°."
    }


def test_an_issued_report_refuses_save_and_delete(issued):
    before = snapshot(issued)
    issued.sha256 = "0" * 64
    with pytest.raises(ImmutableReport):
        issued.save()
    with pytest.raises(ImmutableReport):
        issued.delete()
    assert snapshot(issued) == before


@pytest.mark.parametrize(
    "attempt",
    [
        lambda qs, r: qs.update(sha256="0" * 64),
        lambda qs, r: qs.filter(pk=r.pk).update(pdf=b"forged"),
        lambda qs, r: qs.delete(),
        lambda qs, r: qs.filter(pk=r.pk).delete(),
        lambda qs, r: qs.bulk_update([r], ["sha256"]),
        lambda qs, r: qs.update_or_create(pk=r.pk, defaults={"sha256": "0" * 64}),
    ],
    ids=[
        "update",
        "update-filtered",
        "delete-all",
        "delete-filtered",
        "bulk-update",
        "update-or-create",
    ],
)
def test_an_issued_report_refuses_queryset_writes(issued, attempt):
    before = snapshot(issued)
    with pytest.raises(ImmutableReport), transaction.atomic():
        attempt(IssuedReport.objects.all(), issued)
    assert snapshot(issued) == before


def test_deleting_the_case_under_them_is_refused(signed, issued):
    with pytest.raises((ProtectedError, *GUARDS)):
        Case.objects.get(pk=signed.case_id).delete()
    assert Determination.objects.filter(pk=signed.pk).exists()
    assert IssuedReport.objects.filter(pk=issued.pk).exists()


def test_deleting_the_signing_clinician_is_refused(cast, signed):
    with pytest.raises(ProtectedError):
        cast.clinician.delete()


# --- Through the admin ---------------------------------------------------------------------


def admin_url(obj, view: str, *extra) -> str:
    return reverse(f"admin:cases_{obj._meta.model_name}_{view}", args=[obj.pk, *extra])


@pytest.mark.parametrize("target", ["signed", "issued"])
def test_the_admin_change_form_refuses_a_post(cast, target, request):
    obj = request.getfixturevalue(target)
    before = snapshot(obj)
    client = client_for(cast.admin)
    page = client.get(admin_url(obj, "change"))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(
        admin_url(obj, "change"), {"rationale": "Rewritten", "sha256": "0" * 64, "_save": "Save"}
    )
    assert response.status_code == 403
    assert snapshot(obj) == before


@pytest.mark.parametrize("target", ["signed", "issued"])
def test_the_admin_delete_view_refuses(cast, target, request):
    obj = request.getfixturevalue(target)
    client = client_for(cast.admin)
    assert client.get(admin_url(obj, "delete")).status_code == 403
    assert client.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
    assert type(obj)._base_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("target", ["signed", "issued"])
def test_the_admin_bulk_delete_action_is_not_offered(cast, target, request):
    obj = request.getfixturevalue(target)
    client = client_for(cast.admin)
    changelist = reverse(f"admin:cases_{obj._meta.model_name}_changelist")
    page = client.get(changelist)
    assert "delete_selected" not in page.content.decode()
    client.post(
        changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert type(obj)._base_manager.filter(pk=obj.pk).exists()


def test_the_admin_history_revert_refuses_a_signed_determination(cast, signed):
    """simple-history's revert form saves through the admin; a signed one is never reverted."""
    client = client_for(cast.admin)
    first = signed.history.order_by("history_id").first()
    url = reverse("admin:cases_determination_simple_history", args=[signed.pk, first.history_id])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in {**form.initial, "rationale": "Back to the draft"}.items()
        if name in form.fields and value is not None
    }
    for prefix in ("steps",):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    before = snapshot(signed)
    response = client.post(url, data)
    assert response.status_code == 403
    assert snapshot(signed) == before


def test_the_admin_add_form_for_issued_reports_is_refused(cast, issued):
    client = client_for(cast.admin)
    assert client.get(reverse("admin:cases_issuedreport_add")).status_code == 403
