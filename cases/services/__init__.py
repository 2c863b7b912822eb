"""Writes that matter (docs/architecture.md §3): keyword-only, typed, atomic, state rules
enforced here. One module per kind of record; views, forms, the admin, the API and
management commands all call them through this package.
"""

from .cases import (
    DisabilityPeriods,
    InvalidTransition,
    PatientOnFile,
    case_admin_delete,
    case_admin_save,
    case_close,
    case_open,
    case_start_treatment,
    case_statutory_mmi_refresh,
    case_update,
    patient_admin_save,
    patient_create,
    patient_update,
)
from .determinations import (
    AMENDMENT_COPIES,
    REVIEW_AFTER_MMI,
    NotReadyToSign,
    StepConflict,
    determination_amend,
    determination_rescind,
    determination_save_step,
    determination_sign,
    determination_start,
)
from .disputes import (
    dispute_record,
    dispute_resolve,
)
from .parties import (
    NewAdjuster,
    NewOrganisation,
    adjuster_add,
    case_parties_add,
    organisation_add,
)
from .plateau import case_plateau_refresh
from .records import (
    assessment_delete,
    assessment_save,
    record_save,
    score_range_error,
    treatment_save,
    work_status_save,
)

__all__ = [
    "InvalidTransition",
    "DisabilityPeriods",
    "case_open",
    "case_update",
    "case_statutory_mmi_refresh",
    "case_admin_save",
    "case_admin_delete",
    "patient_admin_save",
    "case_start_treatment",
    "case_close",
    "patient_create",
    "patient_update",
    "NewAdjuster",
    "NewOrganisation",
    "adjuster_add",
    "case_parties_add",
    "organisation_add",
    "PatientOnFile",
    "treatment_save",
    "record_save",
    "score_range_error",
    "assessment_save",
    "assessment_delete",
    "work_status_save",
    "case_plateau_refresh",
    "StepConflict",
    "NotReadyToSign",
    "REVIEW_AFTER_MMI",
    "AMENDMENT_COPIES",
    "determination_start",
    "determination_save_step",
    "determination_sign",
    "determination_amend",
    "determination_rescind",
    "dispute_record",
    "dispute_resolve",
]
