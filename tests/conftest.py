"""The fixed cast of every permission test (docs/architecture.md §9) and shared settings for
the suite."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from cases.reports import rendering
from tests.support.cast import Cast
from tests.support.factories import (
    AdjusterFactory,
    AdministratorFactory,
    CaseFactory,
    CaseManagerFactory,
    ClinicianFactory,
    OrganisationFactory,
)
from tests.support.pdf_double import HTMLDouble

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _pdf_renderer(request, monkeypatch):
    """WeasyPrint for the tests marked ``pdf``; the others get tests/support/pdf_double.py,
    which checks the report's HTML and returns a small PDF at once."""
    if request.node.get_closest_marker("pdf") is None:
        monkeypatch.setattr(rendering, "HTML", HTMLDouble)


@pytest.fixture(autouse=True)
def _tasks_inline():
    """Celery tasks run inline, as with no broker, unless a test starts a worker of its
    own (tests/cases/services/test_report_export_broker.py)."""
    from mmi_tracker.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo (seed_demo), seeded once for the module's tests that also take ``db``: each
    runs in a savepoint of this transaction, so it finds the demo as seeded, whatever the
    test before it changed. The demo's issued PDFs are stored outside the tests' media."""
    with django_db_blocker.unblock(), transaction.atomic():
        with (
            override_settings(
                PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")
            ),
            pytest.MonkeyPatch.context() as patch,
        ):
            patch.setattr(rendering, "HTML", HTMLDouble)
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


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
