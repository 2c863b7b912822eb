"""The fixed cast of every permission test (docs/architecture.md §9), given by the ``cast``
fixture of tests/conftest.py, and a logged-in client for any of them."""

from dataclasses import dataclass

from django.test import Client

from cases.models import Case, User


@dataclass
class Cast:
    """A case and everyone who may or may not see it."""

    case: Case
    clinician: User  # on the case's care team
    other_clinician: User  # not on it
    case_manager: User  # manages the case
    other_case_manager: User
    adjuster: User  # works for the case's insurer
    other_adjuster: User  # works for another insurer
    admin: User

    def roles(self) -> dict[str, User | None]:
        return {
            "clinician": self.clinician,
            "other_clinician": self.other_clinician,
            "case_manager": self.case_manager,
            "other_case_manager": self.other_case_manager,
            "adjuster": self.adjuster,
            "other_adjuster": self.other_adjuster,
            "admin": self.admin,
            "anonymous": None,
        }


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
