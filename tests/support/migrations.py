"""A database of its own for the tests of data migrations (tests/cases/migrations/): created
empty, walked forward from nothing to the migrations a test names, and dropped, while the test
database stays as the migrations left it."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from django.apps.registry import Apps
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend


@contextmanager
def empty_database() -> Iterator[None]:
    """Point the default connection, for the block, at an empty database of its own: an
    in-memory one on SQLite, ``<test database>_migrations`` on PostgreSQL."""
    test = connections[DEFAULT_DB_ALIAS]
    name = ":memory:" if test.vendor == "sqlite" else f"{test.settings_dict['NAME']}_migrations"
    settings_dict = {
        **test.settings_dict,
        "NAME": name,
        "TEST": {**test.settings_dict["TEST"], "NAME": name},
    }
    scratch = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, DEFAULT_DB_ALIAS)
    scratch.creation._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    connections[DEFAULT_DB_ALIAS] = scratch
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = test
        scratch.close()
        scratch.creation._destroy_test_db(name, verbosity=0)


def migrate(targets) -> Apps:
    """Migrate forward to ``targets`` one migration at a time, as a database made before the
    squash of cases/migrations/ did (never through the squash); the models as they stand
    there."""
    executor = MigrationExecutor(connection)
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def case_maker(apps: Apps) -> tuple[object, Callable[..., object]]:
    """A clinician, and a function that opens a case (claim number, jurisdiction and any
    other field) managed by them, for one patient, employer and insurer, with the models as
    ``apps`` has them. Called again, it finds the same people and organisations."""
    User = apps.get_model("cases", "User")
    Organisation = apps.get_model("cases", "Organisation")
    Patient = apps.get_model("cases", "Patient")
    Case = apps.get_model("cases", "Case")
    doctor, _ = User.objects.get_or_create(username="doc", role="clinician")
    employer, _ = Organisation.objects.get_or_create(name="E", kind="employer")
    insurer, _ = Organisation.objects.get_or_create(name="I", kind="insurer")
    patient, _ = Patient.objects.get_or_create(
        first_name="A", last_name="B", date_of_birth=date(1980, 1, 1)
    )

    def case(claim: str, jurisdiction: str, **fields):
        return Case.objects.create(
            patient=patient,
            claim_number=claim,
            jurisdiction=jurisdiction,
            body_part="lower_back",
            employer=employer,
            insurer=insurer,
            case_manager=doctor,
            **fields,
        )

    return doctor, case
