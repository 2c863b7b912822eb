from .cases import Case, CaseStatus, DisabilityPeriod, Language, Patient, Plateau
from .clinical import (
    Assessment,
    Consultation,
    Diagnostic,
    OutcomeScore,
    Treatment,
    WorkRestriction,
    WorkStatus,
)
from .determinations import (
    Determination,
    DeterminationLocked,
    DeterminationStep,
    Dispute,
    PsychologicalReadiness,
)
from .exports import ReportExport
from .impairment import ImpairmentItem
from .instruments import Instrument
from .organisations import Organisation
from .reference import StateAverageWeeklyWage
from .reports import ImmutableReport, IssuedReport
from .search import CaseSearchTerm
from .summaries import StatusCount, TimeToMmiSpread
from .users import Role, User, UserSession

__all__ = [
    "Assessment",
    "Case",
    "CaseSearchTerm",
    "CaseStatus",
    "Consultation",
    "Determination",
    "DeterminationLocked",
    "DeterminationStep",
    "Diagnostic",
    "DisabilityPeriod",
    "Dispute",
    "ImmutableReport",
    "ImpairmentItem",
    "Instrument",
    "IssuedReport",
    "Organisation",
    "OutcomeScore",
    "PsychologicalReadiness",
    "Language",
    "Patient",
    "Plateau",
    "ReportExport",
    "Role",
    "StateAverageWeeklyWage",
    "StatusCount",
    "TimeToMmiSpread",
    "Treatment",
    "User",
    "UserSession",
    "WorkRestriction",
    "WorkStatus",
]
