"""PostgreSQL itself refuses to change signed records (migrations cases 0026 and audit
0005): raw SQL on the application's own connection fails, as an attacker's or a mistaken
script's would, while the lifecycle a signed determination may still go through works."""

import pytest
from django.db import IntegrityError, connection, transaction

from audit.services import log_access_by
from cases.models import Determination, DeterminationStep, IssuedReport
from cases.reports.issuing import determination_reports_issue
from tests.support.determinations import signed_determination

pytestmark = [
    pytest.mark.usefixtures("module_cast"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the guards are PostgreSQL triggers; SQLite keeps the models' guards",
    ),
]


def raw(sql: str, *params) -> int:
    """Run one statement in a savepoint, as the application's connection; rows touched."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def signed(cast) -> Determination:
    """Signed through the services, with its steps."""
    return signed_determination(cast.case, cast.clinician)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "UPDATE cases_determination SET impairment_rating = 40 WHERE id = %s",
            "A signed determination cannot be changed: corrections are made by amendment.",
        ),
        (
            "UPDATE cases_determination SET signed_at = now() - interval '1 year' WHERE id = %s",
            "A signed determination cannot be changed",
        ),
        (
            "UPDATE cases_determination SET status = 'draft' WHERE id = %s",
            "A signed determination cannot be changed",
        ),
        (
            "DELETE FROM cases_determination WHERE id = %s",
            "A signed determination cannot be deleted.",
        ),
        (
            "UPDATE cases_determinationstep SET answers = '{}' WHERE determination_id = %s",
            "The steps of a signed determination cannot be changed or deleted.",
        ),
        (
            "DELETE FROM cases_determinationstep WHERE determination_id = %s",
            "The steps of a signed determination cannot be changed or deleted.",
        ),
    ],
)
def test_raw_sql_cannot_change_a_signed_determination(signed, sql, message):
    before = Determination.objects.values().get(pk=signed.pk)
    steps = list(DeterminationStep.objects.filter(determination=signed).values())
    assert steps
    with pytest.raises(IntegrityError, match=message):
        raw(sql, signed.pk)
    assert Determination.objects.values().get(pk=signed.pk) == before
    assert list(DeterminationStep.objects.filter(determination=signed).values()) == steps


def test_the_lifecycle_of_a_signed_determination_still_moves(signed):
    assert raw(
        "UPDATE cases_determination SET status = 'rescinded', rescinded_at = now(), "
        "rescind_category = 'new_condition', rescind_reason = 'x' WHERE id = %s",
        signed.pk,
    )
    assert Determination.objects.get(pk=signed.pk).status == "rescinded"


def test_a_draft_and_its_steps_are_still_worked_on_and_discarded(cast):
    draft = Determination.objects.create(
        case=cast.case, version=9, certifying_clinician=cast.clinician
    )
    DeterminationStep.objects.create(
        determination=draft, slug="clinical", answers={}, saved_by=cast.clinician
    )
    assert raw("UPDATE cases_determination SET plan = 'More therapy.' WHERE id = %s", draft.pk)
    assert raw(
        "UPDATE cases_determinationstep SET answers = '{}' WHERE determination_id = %s", draft.pk
    )
    assert raw("DELETE FROM cases_determinationstep WHERE determination_id = %s", draft.pk)
    assert raw("DELETE FROM cases_determination WHERE id = %s", draft.pk)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_issuedreport SET sha256 = repeat('0', 64) WHERE id = %s",
        "DELETE FROM cases_issuedreport WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_issued_report(cast, signed, sql):
    [certification, _] = determination_reports_issue(determination=signed)
    with pytest.raises(IntegrityError, match="An issued report cannot be changed or deleted."):
        raw(sql, certification.pk)
    assert IssuedReport.objects.get(pk=certification.pk).sha256 == certification.sha256


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslogentry SET username = 'someone-else' WHERE id = %s",
        "DELETE FROM audit_accesslogentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_access_log_entry(cast, sql):
    entry = log_access_by(cast.adjuster, action="case_view", case=cast.case)
    with pytest.raises(IntegrityError, match="The access log is append-only"):
        raw(sql, entry.pk)
