"""The fixed cast of every permission test (docs/architecture.md §9) and shared settings for
the suite."""

import copy
import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from cases.reports import rendering
from cases.reports.official.signing import authority_create
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
from tests.support.scheduling import BrowserTestsOnOneWorker
from tests.support.second_factor import force_login_with_second_factor

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def signing_ca_dir(tmp_path_factory):
    """A signing authority of the tests' own, made once (the Texas forms are signed)."""
    directory = tmp_path_factory.mktemp("signing-ca")
    authority_create(directory, common_name="MMI Tracker test signing authority")
    return directory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path, signing_ca_dir):
    settings.SIGNING_CA_DIR = signing_ca_dir
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "media"
    # Exports are built inline, within the test's transaction; the tests of the thread that
    # builds them without a broker switch it back on.
    settings.REPORT_EXPORTS_IN_THREAD = False
    # WhiteNoise reads every file under STATIC_ROOT whenever a test client builds the
    # middleware: after `make run` collected them there, 0.3 s a client.
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _second_factor_confirmed(monkeypatch):
    """``force_login`` stands for the whole login, second factor included; the tests of the
    second factor itself log in through the pages."""
    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@pytest.fixture(autouse=True)
def _pdf_renderer(request, monkeypatch):
    """WeasyPrint for the tests marked ``pdf``; the others get tests/support/pdf_double.py,
    which checks the report's HTML and returns a small PDF at once."""
    if request.node.get_closest_marker("pdf") is None:
        monkeypatch.setattr(rendering, "HTML", HTMLDouble)


@pytest.fixture(autouse=True)
def _rate_counters_cleared():
    """The rate limiters count in the cache (local memory in tests): each test starts with
    none counted."""
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_inline():
    """Celery tasks run inline, as with no broker, unless a test starts a worker of its
    own (tests/cases/services/test_report_export_broker.py)."""
    from mmi_tracker.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


@contextmanager
def _module_transaction(django_db_blocker):
    """A transaction kept open while a module's tests run, each in a savepoint of it (as in
    TestCase.setUpTestData), then rolled back. The database stays blocked in between, for
    the tests without ``db``; a test that commits (``transaction=True``) cannot run in it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker, tmp_path_factory, signing_ca_dir):
    """The demo (seed_demo), seeded once for the module's tests that take it with ``db``:
    each finds the demo as seeded, whatever the test before it changed. The demo's issued
    PDFs are stored outside the tests' media."""
    with _module_transaction(django_db_blocker):
        with (
            django_db_blocker.unblock(),
            override_settings(
                PASSWORD_HASHERS=FAST_HASHERS,
                MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
                SIGNING_CA_DIR=signing_ca_dir,
            ),
            pytest.MonkeyPatch.context() as patch,
        ):
            patch.setattr(rendering, "HTML", HTMLDouble)
            call_command("seed_demo", stdout=io.StringIO())
        yield


@pytest.fixture(scope="module")
def module_cast(django_db_setup, django_db_blocker) -> Iterator[Cast]:
    """The cast, made once for a module that asks for it with ``pytestmark =
    pytest.mark.usefixtures("module_cast")``: each test's ``cast`` is then a copy of it, in a
    savepoint, so it finds the cast as made whatever the test before it changed. Every
    database test of such a module sees the cast's rows."""
    with _module_transaction(django_db_blocker):
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            made = make_cast()
        yield made


@pytest.fixture
def cast(request, db) -> Cast:
    if "module_cast" in request.fixturenames:
        return copy.deepcopy(request.getfixturevalue("module_cast"))
    return make_cast()


def make_cast() -> Cast:
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


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "load":
        return BrowserTestsOnOneWorker(config, log)
    return None
