"""The fixed cast of every permission test (docs/architecture.md §9) and shared settings for
the suite."""

import pytest

from tests.support.cast import Cast
from tests.support.factories import (
    AdjusterFactory,
    AdministratorFactory,
    CaseFactory,
    CaseManagerFactory,
    ClinicianFactory,
    OrganisationFactory,
)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _tasks_inline():
    """Celery tasks run inline, as with no broker, unless a test starts a worker of its
    own (tests/cases/services/test_report_export_broker.py)."""
    from mmi_tracker.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture
def cast(db) -> Cast:
    insurer = OrganisationFactory(name="Lone Star Mutual")
    clinician = ClinicianFactory(first_name="Emily", last_name="Chen")
    case_manager = CaseManagerFactory(first_name="Karen", last_name="Jones")
    case = CaseFactory(insurer=insurer, case_manager=case_manager, care_team=[clinician])
    adjuster = AdjusterFactory(organisation=insurer)
    case.adjuster = adjuster
    case.save()
    return Cast(
        case=case,
        clinician=clinician,
        other_clinician=ClinicianFactory(),
        case_manager=case_manager,
        other_case_manager=CaseManagerFactory(),
        adjuster=adjuster,
        other_adjuster=AdjusterFactory(),
        admin=AdministratorFactory(),
    )
