"""Who must receive an issued document, by jurisdiction (docs/domain.md §10).

Texas: the DWC069 goes to the insurance carrier, the treating doctor when another doctor
certifies, the Division, the injured employee and the employee's representative, if any
(28 TAC 130.12; the DWC069, page 2); the treating doctor's DWC073 goes to the employee, the
carrier and the employer (28 TAC 129.5; the DWC073, page 2). Elsewhere the same parties but
the Division, whose filing is Texas's own.

Standard library only: this module must never import Django (docs/architecture.md §1).
"""

from dataclasses import dataclass

from .parties import Document, Party

# The certifying doctor's role on the DWC069 that is the treating doctor's own
# (cases.models.Determination.CertifierRole.TREATING).
TREATING_ROLE = "treating"


@dataclass(frozen=True)
class Distribution:
    """The distribution rule of one jurisdiction."""

    files_with_division: bool

    def recipients(
        self, document: Document, *, certifier_role: str = "", represented: bool = False
    ) -> tuple[Party, ...]:
        """The parties that must receive ``document``, in the order the form lists them.
        ``certifier_role`` is the certifying doctor's role, for a certification;
        ``represented``, whether the employee has a representative on the case."""
        if document == Document.WORK_STATUS:
            return (Party.EMPLOYEE, Party.EMPLOYER, Party.CARRIER)
        parties = [Party.CARRIER]
        if certifier_role != TREATING_ROLE:
            parties.append(Party.TREATING_DOCTOR)
        if self.files_with_division:
            parties.append(Party.DIVISION)
        parties.append(Party.EMPLOYEE)
        if represented:
            parties.append(Party.REPRESENTATIVE)
        return tuple(parties)


TEXAS = Distribution(files_with_division=True)
DEFAULT = Distribution(files_with_division=False)


def distribution_for(jurisdiction: str) -> Distribution:
    """The distribution rule of the jurisdiction (a US state code)."""
    return TEXAS if jurisdiction.upper() == "TX" else DEFAULT
