"""The permission matrix's table: for every URL name in the URLconf, how to build its
arguments and the status each role of the cast gets (tests/cases/test_access.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cases import services
from diaries import services as diary_services
from notes import services as notes_services
from notifications.services import notify
from questionnaires.models import InstrumentDefinition
from tests.support import api as api_support
from tests.support import questionnaire_links
from tests.support.cast import Cast
from tests.support.deliveries import case_with_listed_certification, faxed_with_proof
from tests.support.exports import export_now, signed_with_certification
from tests.support.factories import (
    PASSWORD,
    AssessmentFactory,
    TreatmentFactory,
    WorkStatusFactory,
)
from tests.support.outside_records import record_on
from tests.support.reports import determination

ROLES = [
    "clinician",
    "other_clinician",
    "case_manager",
    "other_case_manager",
    "adjuster",
    "other_adjuster",
    "admin",
    "anonymous",
]


def profile(**statuses: int) -> dict[str, int]:
    missing = set(ROLES) - set(statuses)
    assert not missing, f"profile lacks {missing}"
    return statuses


ANY_USER = profile(
    clinician=200,
    other_clinician=200,
    case_manager=200,
    other_case_manager=200,
    adjuster=200,
    other_adjuster=200,
    admin=200,
    anonymous=302,
)
READ_CASE = profile(
    clinician=200,
    other_clinician=404,
    case_manager=200,
    other_case_manager=404,
    adjuster=200,
    other_adjuster=404,
    admin=200,
    anonymous=302,
)
RECORD_CLINICAL = profile(
    clinician=200,
    other_clinician=404,
    case_manager=403,
    other_case_manager=404,
    adjuster=403,
    other_adjuster=404,
    admin=403,
    anonymous=302,
)
MANAGE_CASE = profile(
    clinician=403,
    other_clinician=404,
    case_manager=200,
    other_case_manager=404,
    adjuster=403,
    other_adjuster=404,
    admin=200,
    anonymous=302,
)
# The calculator endpoints answer JSON: 401 rather than a login redirect.
CALCULATOR_ENDPOINT = profile(**{**ANY_USER, "anonymous": 401})
CASELOAD_STATISTICS = profile(
    clinician=403,
    other_clinician=403,
    case_manager=200,
    other_case_manager=200,
    adjuster=200,
    other_adjuster=200,
    admin=200,
    anonymous=302,
)
# The REST API answers 401 rather than a login redirect.
API_ANY_USER = profile(**{**ANY_USER, "anonymous": 401})
API_READ_CASE = profile(**{**READ_CASE, "anonymous": 401})
OPEN_CASE = profile(
    clinician=403,
    other_clinician=403,
    case_manager=200,
    other_case_manager=200,
    adjuster=403,
    other_adjuster=403,
    admin=200,
    anonymous=302,
)

# The diagnosis code search: every role that writes diagnosis codes, on a case or a
# determination; it reads no case.
DIAGNOSIS_SEARCH = profile(
    clinician=200,
    other_clinician=200,
    case_manager=200,
    other_case_manager=200,
    adjuster=403,
    other_adjuster=403,
    admin=200,
    anonymous=302,
)


# The MMI determination: clinicians on the care team draft, sign and amend; case managers
# record disputes; adjusters read signed versions only (a draft answers them 404).
DETERMINE = profile(
    clinician=200,
    other_clinician=404,
    case_manager=403,
    other_case_manager=404,
    adjuster=403,
    other_adjuster=404,
    admin=403,
    anonymous=302,
)
DETERMINE_DRAFT = profile(**{**DETERMINE, "adjuster": 404})
DETERMINE_CHANGE = profile(**{**DETERMINE, "clinician": 302})
RECORD_DISPUTE = profile(**{**MANAGE_CASE, "clinician": 403})

# Exports: roles that may export see their own list and may ask for one; an export itself
# answers only to its requester (the case's adjuster here), 404 to everyone else.
EXPORTER = profile(
    clinician=403,
    other_clinician=403,
    case_manager=200,
    other_case_manager=200,
    adjuster=200,
    other_adjuster=200,
    admin=200,
    anonymous=302,
)
EXPORT_REQUEST = profile(
    clinician=403,
    other_clinician=403,
    case_manager=302,
    other_case_manager=404,
    adjuster=302,
    other_adjuster=404,
    admin=302,
    anonymous=302,
)
REQUESTER_ONLY = profile(**{**dict.fromkeys(ROLES, 404), "adjuster": 200, "anonymous": 302})
# Questionnaire links: the case's clinicians and case manager send them and plan them.
SEND_QUESTIONNAIRES = profile(**{**MANAGE_CASE, "clinician": 200, "admin": 403})
NO_SUCH_LINK = profile(**dict.fromkeys(ROLES, 404))
DIGEST_RECIPIENT = profile(
    clinician=200,
    other_clinician=200,
    case_manager=200,
    other_case_manager=200,
    adjuster=403,
    other_adjuster=403,
    admin=403,
    anonymous=302,
)


@dataclass
class Row:
    expect: dict[str, int]
    kwargs: Callable[[Cast], dict] = lambda cast: {}
    method: str = "get"
    data: Callable[[Cast], dict] = lambda cast: {}
    follow_login: bool = field(default=False)


def case_id(cast: Cast) -> dict:
    return {"case_id": cast.case.pk}


def phq9_entry(cast: Cast) -> dict:
    """The case and the shipped PHQ-9's definition."""
    phq9 = InstrumentDefinition.objects.get(instrument__abbreviation="PHQ-9")
    return {"case_id": cast.case.pk, "definition_id": phq9.pk}


def signed_determination(cast: Cast) -> dict:
    """A signed determination of the case (drafts: see tests/cases/reports/test_reports.py)."""
    return {"determination_id": determination(cast.case, cast.clinician).pk}


def case_managers_note(cast: Cast) -> dict:
    """A note on the case, written by its case manager."""
    note = notes_services.note_write(
        case=cast.case,
        by=cast.case_manager,
        kind="call",
        happened_at=timezone.now(),
        text="Called the adjuster.",
        party="adjuster",
    )
    return {"note_id": note.pk}


def draft_determination(cast: Cast) -> dict:
    draft = services.determination_start(case=cast.case, started_by=cast.clinician)
    return {"determination_id": draft.pk}


def disputed_determination(cast: Cast) -> dict:
    dispute = services.dispute_record(
        determination=determination(cast.case, cast.clinician),
        recorded_by=cast.case_manager,
        disputed_by="carrier",
        disputed_issue="both",
        # Received and disputed the day it was signed: in time, so the dispute is pending.
        notice_date=timezone.localdate(),
        received_on=timezone.localdate(),
        review_requested="ime",
    )
    return {"dispute_id": dispute.pk}


def case_with_work_status(cast: Cast) -> dict:
    WorkStatusFactory(case=cast.case, issued_by=cast.clinician)
    return case_id(cast)


def made_up_token(cast: Cast) -> dict:
    return {"token": "A" * 43}


def adjusters_notification(cast: Cast) -> dict:
    """A notification to the case's adjuster, which only they may mark read."""
    (notification,) = notify(
        recipients=[cast.adjuster],
        kind="task_assigned",
        case=cast.case,
        text="A task",
        link=cast.case.get_absolute_url(),
    )
    return {"notification_id": notification.pk}


def task_on_case(cast: Cast) -> dict:
    """A task on the case, made by hand by its case manager for themselves."""
    task = diary_services.task_create(
        case=cast.case,
        created_by=cast.case_manager,
        title="Call the adjuster",
        due_on=timezone.localdate(),
        assignee=cast.case_manager,
    )
    return {"task_id": task.pk}


def outside_record(cast: Cast) -> dict:
    """An outside record of the case, not clinical-only, added by its case manager."""
    return {"record_id": record_on(cast.case, cast.case_manager).pk}


def adjusters_export(cast: Cast) -> dict:
    """A finished export of the case's signed certification, asked for by its adjuster."""
    signed_with_certification(cast.case, cast.clinician)
    return {"export_id": export_now(cast.adjuster).pk}


ROWS: dict[str, Row] = {
    "login": Row(profile(**dict.fromkeys(ROLES, 200))),
    "favicon": Row(profile(**dict.fromkeys(ROLES, 301))),
    "logout": Row(profile(**dict.fromkeys(ROLES, 302)), method="post"),
    "password_change": Row(ANY_USER),
    "password_change_done": Row(ANY_USER),
    "password_reset": Row(profile(**dict.fromkeys(ROLES, 200))),
    "password_reset_done": Row(profile(**dict.fromkeys(ROLES, 200))),
    "password_reset_confirm": Row(
        profile(**dict.fromkeys(ROLES, 200)),
        kwargs=lambda cast: {"uidb64": "MQ", "token": "not-a-token"},
    ),
    "password_reset_complete": Row(profile(**dict.fromkeys(ROLES, 200))),
    "account": Row(ANY_USER),
    "sessions-end": Row(profile(**dict.fromkeys(ROLES, 302)), method="post"),
    "second-factor": Row(ANY_USER),
    "second-factor-verify": Row(ANY_USER),
    "second-factor-authenticator": Row(ANY_USER),
    "second-factor-authenticator-qr": Row(ANY_USER),
    # The cast's sessions are confirmed but hold no authenticator app: nothing to back up.
    "second-factor-recovery-codes": Row(profile(**dict.fromkeys(ROLES, 302)), method="post"),
    "second-factor-remove": Row(
        profile(**{**dict.fromkeys(ROLES, 404), "anonymous": 302}),
        kwargs=lambda cast: {"kind": "authenticator", "device_id": 999999},
        method="post",
    ),
    "otp_webauthn:credential-registration-begin": Row(ANY_USER, method="post"),
    # Completing a ceremony that was never begun.
    "otp_webauthn:credential-registration-complete": Row(
        profile(**{**dict.fromkeys(ROLES, 400), "anonymous": 302}), method="post"
    ),
    "otp_webauthn:credential-authentication-begin": Row(ANY_USER, method="post"),
    "otp_webauthn:credential-authentication-complete": Row(
        profile(**{**dict.fromkeys(ROLES, 400), "anonymous": 302}), method="post"
    ),
    "otp_webauthn:js-i18n-catalog": Row(ANY_USER),
    "home": Row(ANY_USER),
    "case-list": Row(ANY_USER),
    "case-list-csv": Row(ANY_USER),
    "person-search": Row(ANY_USER, kwargs=lambda cast: {"role": "clinician"}),
    "time-to-mmi": Row(CASELOAD_STATISTICS),
    "diagnosis-search": Row(DIAGNOSIS_SEARCH, data=lambda cast: {"q": "low back pain"}),
    "case-open": Row(OPEN_CASE),
    "patient-search": Row(OPEN_CASE, data=lambda cast: {"choice-find": "Ient"}),
    "case-detail": Row(READ_CASE, case_id),
    "case-history": Row(READ_CASE, case_id),
    # Case notes: everyone who sees the case reads and writes them; only a note's author
    # edits or withdraws it (tests/notes/).
    "notes:note-log": Row(READ_CASE, case_id),
    "notes:note-add": Row(READ_CASE, case_id),
    "notes:note-detail": Row(READ_CASE, case_managers_note),
    "notes:note-edit": Row(
        profile(**{**READ_CASE, "clinician": 403, "adjuster": 403, "admin": 403}),
        case_managers_note,
    ),
    "notes:note-withdraw": Row(
        profile(
            **{**READ_CASE, "clinician": 403, "case_manager": 302, "adjuster": 403, "admin": 403}
        ),
        case_managers_note,
        method="post",
        data=lambda cast: {"reason": "Written on the wrong case"},
    ),
    "api:note-list": Row(API_READ_CASE, case_id),
    "api:outside-record-list": Row(API_READ_CASE, case_id),
    "api:outside-record-download": Row(API_READ_CASE, outside_record),
    "case-edit": Row(MANAGE_CASE, case_id),
    "patient-edit": Row(MANAGE_CASE, case_id),
    "assessment-add": Row(RECORD_CLINICAL, case_id),
    "assessment-edit": Row(
        RECORD_CLINICAL,
        lambda cast: {
            "case_id": cast.case.pk,
            "assessment_id": AssessmentFactory(case=cast.case, clinician=cast.clinician).pk,
        },
    ),
    "work-status-add": Row(RECORD_CLINICAL, case_id),
    # Questionnaires entered item by item: as the total-only assessment form.
    "questionnaires:response-choose": Row(RECORD_CLINICAL, case_id),
    "questionnaires:response-enter": Row(RECORD_CLINICAL, phq9_entry),
    "calculator": Row(ANY_USER),
    "calculator-combine": Row(CALCULATOR_ENDPOINT, data=lambda cast: {"value": ["50", "30"]}),
    "calculator-convert": Row(
        CALCULATOR_ENDPOINT, data=lambda cast: {"level": "index", "value": "75"}
    ),
    "calculator-statutory-mmi": Row(
        CALCULATOR_ENDPOINT,
        data=lambda cast: {"jurisdiction": "TX", "disability_began": "2024-03-02"},
    ),
    "calculator-impairment-benefits": Row(
        CALCULATOR_ENDPOINT,
        data=lambda cast: {
            "jurisdiction": "TX",
            "rating": "12",
            "average_weekly_wage": "1000",
            "date_of_injury": "2018-01-15",
        },
    ),
    "record-add": Row(
        RECORD_CLINICAL, lambda cast: {"case_id": cast.case.pk, "kind": "treatments"}
    ),
    "record-edit": Row(
        RECORD_CLINICAL,
        lambda cast: {
            "case_id": cast.case.pk,
            "kind": "treatments",
            "record_id": TreatmentFactory(case=cast.case).pk,
        },
    ),
    "report-certification": Row(READ_CASE, signed_determination),
    "report-patient-letter": Row(READ_CASE, signed_determination),
    "report-case-summary": Row(READ_CASE, case_id),
    "report-work-status": Row(READ_CASE, case_with_work_status),
    "export-list": Row(EXPORTER),
    "export-create": Row(
        EXPORT_REQUEST,
        method="post",
        data=lambda cast: {"scope": "selected", "case": [cast.case.pk]},
    ),
    "export-detail": Row(REQUESTER_ONLY, adjusters_export),
    "export-progress": Row(REQUESTER_ONLY, adjusters_export),
    "export-download": Row(REQUESTER_ONLY, adjusters_export),
    "digest-settings": Row(DIGEST_RECIPIENT),
    "determination-start": Row(DETERMINE_CHANGE, case_id, method="post"),
    "practice-details": Row(
        profile(
            clinician=200,
            other_clinician=200,
            case_manager=403,
            other_case_manager=403,
            adjuster=403,
            other_adjuster=403,
            admin=403,
            anonymous=302,
        )
    ),
    "determination-detail": Row(READ_CASE, signed_determination),
    "determination-step": Row(
        DETERMINE_DRAFT, lambda cast: {**draft_determination(cast), "slug": "clinical"}
    ),
    "determination-review": Row(DETERMINE_DRAFT, draft_determination),
    "determination-impairment-rating": Row(DETERMINE_DRAFT, draft_determination, method="post"),
    # An incomplete draft: the certifying clinician's signature is refused with the checklist.
    "determination-sign": Row(
        DETERMINE_DRAFT,
        draft_determination,
        method="post",
        data=lambda cast: {"password": PASSWORD, "confirm": "on"},
    ),
    "determination-amend": Row(DETERMINE_CHANGE, signed_determination, method="post"),
    "determination-rescind": Row(DETERMINE, signed_determination),
    "dispute-add": Row(RECORD_DISPUTE, signed_determination),
    "dispute-resolve": Row(RECORD_DISPUTE, disputed_determination),
    # Diaries: every role keeps one on the cases it sees; a task done is sent back (302).
    "diaries:task-list": Row(ANY_USER),
    "diaries:task-add": Row(READ_CASE, case_id),
    "diaries:task-done": Row(
        profile(
            **{
                **READ_CASE,
                **dict.fromkeys(("clinician", "case_manager", "adjuster", "admin"), 302),
            }
        ),
        task_on_case,
        method="post",
    ),
    # Notifications: each user reads and marks their own (302 back to the list).
    "notifications:list": Row(ANY_USER),
    "notifications:preferences": Row(ANY_USER),
    "notifications:read": Row(
        profile(**{**dict.fromkeys(ROLES, 404), "adjuster": 302, "anonymous": 302}),
        adjusters_notification,
        method="post",
    ),
    "notifications:read-all": Row(profile(**dict.fromkeys(ROLES, 302)), method="post"),
    # Outside records: added by the care team, the case manager and administrators; the
    # adjuster reads those not marked clinical-only. A withdrawal without a reason: 400.
    "outside_records:record-upload": Row(profile(**{**READ_CASE, "adjuster": 403}), case_id),
    "outside_records:case-record-search": Row(READ_CASE, case_id),
    "outside_records:record-search": Row(
        profile(**{**ANY_USER, "adjuster": 403, "other_adjuster": 403})
    ),
    "outside_records:case-chronology": Row(READ_CASE, case_id),
    "outside_records:record-detail": Row(READ_CASE, outside_record),
    "outside_records:record-download": Row(READ_CASE, outside_record),
    "outside_records:record-page-image": Row(
        READ_CASE, lambda cast: {**outside_record(cast), "number": 1}
    ),
    "outside_records:record-withdraw": Row(
        profile(
            **{
                **READ_CASE,
                **dict.fromkeys(("clinician", "case_manager", "admin"), 400),
                "adjuster": 403,
            }
        ),
        outside_record,
        method="post",
    ),
    # Deliveries: recorded and withdrawn by the care team, the case manager and
    # administrators; read by all who see the case.
    "deliveries:delivery-add": Row(
        profile(**{**READ_CASE, "adjuster": 403}), case_with_listed_certification
    ),
    "deliveries:delivery-withdraw": Row(
        profile(**{**READ_CASE, "adjuster": 403}), faxed_with_proof
    ),
    "deliveries:delivery-proof": Row(READ_CASE, faxed_with_proof),
    # The REST API (tests/api/test_api_permissions.py walks it with tokens, and its writes).
    "api:case-list": Row(API_ANY_USER),
    "api:case-detail": Row(API_READ_CASE, case_id),
    "api:treatment-list": Row(API_READ_CASE, case_id),
    "api:assessment-list": Row(API_READ_CASE, case_id),
    "api:diagnostic-list": Row(API_READ_CASE, case_id),
    "api:consultation-list": Row(API_READ_CASE, case_id),
    "api:work-status-list": Row(API_READ_CASE, case_id),
    "api:determination-list": Row(API_READ_CASE, case_id),
    "api:determination-detail": Row(API_READ_CASE, signed_determination),
    "api:report-list": Row(API_READ_CASE, case_id),
    "api:report-download": Row(
        API_READ_CASE,
        lambda cast: {
            "report_id": api_support.issue_certification(
                api_support.signed_determination(cast.case, cast.clinician), by=cast.clinician
            ).pk
        },
    ),
    "api:fhir-everything": Row(API_READ_CASE, case_id),
    "api:delivery-list": Row(API_READ_CASE, case_id),
    "api:task-list": Row(API_READ_CASE, case_id),
    "api:task-done": Row(
        profile(
            **{
                **API_READ_CASE,
                **dict.fromkeys(("clinician", "case_manager", "adjuster", "admin"), 200),
            }
        ),
        task_on_case,
        method="post",
    ),
    "api:calculator-combine": Row(API_ANY_USER, data=lambda cast: {"value": ["50", "30"]}),
    "api:calculator-convert": Row(
        API_ANY_USER, data=lambda cast: {"level": "index", "value": "75"}
    ),
    "api:calculator-statutory-mmi": Row(
        API_ANY_USER, data=lambda cast: {"jurisdiction": "TX", "disability_began": "2024-03-02"}
    ),
    "api:calculator-impairment-benefits": Row(
        API_ANY_USER,
        data=lambda cast: {
            "jurisdiction": "TX",
            "rating": "12",
            "average_weekly_wage": "1000",
            "date_of_injury": "2018-01-15",
        },
    ),
    "api:schema": Row(API_ANY_USER),
    "api:docs": Row(ANY_USER),
    # The patient's questionnaire pages open with a link's token, never an account: a token
    # that opens nothing gets the one plain page (tests/patient_links/).
    "patient_links:start": Row(NO_SUCH_LINK, made_up_token),
    "patient_links:question": Row(NO_SUCH_LINK, lambda cast: {**made_up_token(cast), "number": 1}),
    "patient_links:activity": Row(NO_SUCH_LINK, lambda cast: {**made_up_token(cast), "number": 1}),
    "patient_links:send": Row(NO_SUCH_LINK, made_up_token),
    "patient_links:link-new": Row(SEND_QUESTIONNAIRES, case_id),
    "patient_links:plan-new": Row(SEND_QUESTIONNAIRES, case_id),
    "patient_links:plan-stop": Row(
        profile(**{**SEND_QUESTIONNAIRES, "clinician": 302, "case_manager": 302}),
        questionnaire_links.running_plan,
        method="post",
    ),
    # A patient's answers item by item: the care team, the case manager and administrators;
    # kept from the payer.
    "patient_links:link-answers": Row(
        profile(**{**READ_CASE, "adjuster": 403}), questionnaire_links.answered_link
    ),
    "patient_links:link-reviewed": Row(
        profile(
            **{**READ_CASE, "clinician": 302, "case_manager": 403, "adjuster": 403, "admin": 403}
        ),
        questionnaire_links.answered_link,
        method="post",
    ),
}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Every named URL outside the Django admin."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names
