"""The parties an issued document goes to, and the documents that go to them
(docs/domain.md §10).

Standard library only: this module must never import Django (docs/architecture.md §1).
"""

from enum import StrEnum


class Party(StrEnum):
    CARRIER = "carrier"
    TREATING_DOCTOR = "treating_doctor"
    DIVISION = "division"
    EMPLOYEE = "employee"
    REPRESENTATIVE = "representative"
    EMPLOYER = "employer"


class Document(StrEnum):
    CERTIFICATION = "certification"
    WORK_STATUS = "work_status"


# The parties who may dispute a certification, under the names disputes record them by
# (cases.models.Dispute.Party). The Division and a treating doctor receive a copy but are
# not parties to a dispute: their copy starts no window. Nor does the copy of the employee's
# representative: the employee's window runs from the employee's own delivery.
DISPUTING_PARTIES: dict[Party, str] = {
    Party.CARRIER: "carrier",
    Party.EMPLOYEE: "employee",
    Party.EMPLOYER: "employer",
}
