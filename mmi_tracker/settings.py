"""MMI Tracker settings: one module, configured only from environment variables.

Every variable, its type and its default is listed in README.md. Defaults are the safe
production ones; `make run` turns DEBUG on for a local start.
"""

import hashlib
import hmac
import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from mmi_tracker.secret_key import DEVELOPMENT_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent


def webauthn_relying_party(site_url: str) -> tuple[str, list[str]]:
    """The domain security keys and passkeys belong to, and the origins they answer.

    Browsers refuse an IP address as that domain, so a site at one (the local start at
    127.0.0.1) offers them at localhost, on its own port.
    """
    site = urlsplit(site_url)
    host = site.hostname or "localhost"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host, [site_url]
    port = f":{site.port}" if site.port else ""
    return "localhost", [f"http://localhost{port}"]


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The web server refuses to start with the development key when DEBUG is off
# (mmi_tracker/secret_key.py).
SECRET_KEY = env_str("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# The key of the access log's hashes (audit/models.py), kept outside the database like the
# secret key. Unset, it is derived from SECRET_KEY: set it on its own to keep it when the
# secret key changes (the log's entries stay hashed with the key they were written with).
AUDIT_LOG_KEY = env_str(
    "AUDIT_LOG_KEY",
    hmac.new(SECRET_KEY.encode(), b"mmi-tracker access log", hashlib.sha256).hexdigest(),
)
# Where the daily task writes the access log's anchor (its last entry), outside the
# database, so that removing the newest entries is found too (manage.py verify_audit_log).
AUDIT_ANCHOR_FILE = Path(env_str("AUDIT_ANCHOR_FILE", str(BASE_DIR / "audit-anchors.jsonl")))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "cases",
    "audit",
    "deliveries",
    "diaries",
    "notifications",
    "notes",
    "questionnaires",
    "patient_links",
    "outside_records",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mmi_tracker.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "mmi_tracker.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mmi_tracker.urls"
CSRF_FAILURE_VIEW = "mmi_tracker.error_views.csrf_failure"
WSGI_APPLICATION = "mmi_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["cases.templatetags.dates"],
        },
    },
]

# SQLite file when DATABASE_URL is unset (the `make run` path); PostgreSQL otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# A read replica of it, for the reporting pages (mmi_tracker/db_router.py). In tests the alias
# is the default database, so the suite needs no replica.
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
DATABASE_ROUTERS = ["mmi_tracker.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cases.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A password reset link works once, for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2 for every new or changed password; the others only check (and upgrade, at the next
# login) hashes made before it.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes): 5 failed logins lock that username from that address, and
# separately that address for every username, for LOGIN_LOCKOUT_MINUTES or until an
# administrator unlocks them (Administration → Axes → Access attempts, or
# `manage.py axes_reset_username NAME` / `axes_reset_ip ADDRESS`). A username is not locked
# for the other addresses, so a guesser cannot lock its owner out.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# Proxies in front of the app (a load balancer: 1) whose X-Forwarded-For entries are trusted
# for the client's address (mmi_tracker/addresses.py); 0: the connection's address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "mmi_tracker.addresses.client_address"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False  # no banner on every manage.py command
# Sessions end after SESSION_IDLE_MINUTES without a request: every request pushes the end on.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/Chicago")
# PostgreSQL's guards against future dates (migration 0033) read "today" in this zone.
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c mmi.time_zone={TIME_ZONE}".strip()
# On for the pages patients read in their own language (patient_links/locale/); staff
# pages are in English, the language no request changes.
USE_I18N = True
# The languages of a patient's own documents (cases.Language): the letter is rendered in the
# patient's with translation.override; no middleware, so every page stays in LANGUAGE_CODE.
LANGUAGES = [("en", "English"), ("es", "Spanish")]
USE_TZ = True
# Dates read "12 Mar 2026" everywhere: the formats live in mmi_tracker/formats/en/formats.py,
# because Django's English locale formats would override DATE_FORMAT set here.
FORMAT_MODULE_PATH = ["mmi_tracker.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Outside medical records (outside_records/): the most one file and one upload may weigh,
# and how many files one upload may hold.
OUTSIDE_RECORD_MAX_FILE_BYTES = env_int("OUTSIDE_RECORD_MAX_FILE_BYTES", 50 * 1024 * 1024)
OUTSIDE_RECORD_MAX_UPLOAD_BYTES = env_int("OUTSIDE_RECORD_MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
OUTSIDE_RECORD_MAX_FILES = env_int("OUTSIDE_RECORD_MAX_FILES", 20)
# The installation's own signing authority (manage.py create_signing_authority): its key and
# certificate, from which each signed Texas form's certificate is issued. Never committed.
SIGNING_CA_DIR = Path(env_str("SIGNING_CA_DIR", str(BASE_DIR / "var" / "signing-ca")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_HTTPONLY = True
# Our pages need no inline script or style: everything is served from static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MMI Tracker <no-reply@mmi-tracker.invalid>")
# SMTP, when EMAIL_BACKEND is the SMTP backend (the default with DEBUG off).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# The address people reach the app at, for links in emails (no request to take it from).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A patient's questionnaire link (patient_links/): how long it may be answered, and the
# requests and unknown links each client address may make (patient_links/throttling.py).
PATIENT_LINK_DAYS = env_int("PATIENT_LINK_DAYS", 7)
PATIENT_LINK_RATE_LIMIT = env_str("PATIENT_LINK_RATE_LIMIT", "120/minute")
PATIENT_LINK_FAILURE_LIMIT = env_str("PATIENT_LINK_FAILURE_LIMIT", "20/hour")

# The second factor (cases/services/second_factor.py). Signing a certification asks for it
# again when the session's last confirmation is older than this.
SIGNING_SECOND_FACTOR_MINUTES = env_int("SIGNING_SECOND_FACTOR_MINUTES", 15)
OTP_TOTP_ISSUER = "MMI Tracker"
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = webauthn_relying_party(SITE_URL)
OTP_WEBAUTHN_RP_NAME = "MMI Tracker"
# A security key is a second factor after the password, never a login of its own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Celery (mmi_tracker/celery.py). Without a broker every task runs inline, in the process
# that sends it. Job state lives in the database, so no result backend is needed.
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL", "")
# ...except a bulk export's build, which then runs in a thread started once the request has
# been answered (cases/services/report_exports.py), so that asking returns at once; off, it
# runs inline too (the tests).
REPORT_EXPORTS_IN_THREAD = env_bool("REPORT_EXPORTS_IN_THREAD", True)
# Webhook calls to API clients (notifications/webhooks/): likewise sent by a thread when
# there is no broker, so a slow receiver never holds up a page; off, inline (the tests).
WEBHOOKS_IN_THREAD = env_bool("WEBHOOKS_IN_THREAD", True)
# Hosts a webhook may call on a loopback address and over plain http: a receiver on this
# machine, for tests and development only. Empty in production, where a webhook URL must be
# https on a public address.
WEBHOOK_ALLOWED_LOCAL_HOSTS = env_list("WEBHOOK_ALLOWED_LOCAL_HOSTS", [])
# In memory when unset, so that nothing inline ever reaches for a broker on the network.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or "memory://"
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only once it has finished, and put back on the queue if its worker
# dies, so a killed worker's job is run again by another one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis hands an unacknowledged task to another worker after this long (a worker whose
# whole machine died): longer than any task may take.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "expire-report-exports": {
        "task": "cases.tasks.expire_report_exports",
        "schedule": crontab(hour=3, minute=0),
    },
    "send-due-digests": {
        "task": "cases.tasks.send_due_digests",
        "schedule": crontab(minute=0),
    },
    "anchor-audit-log": {
        "task": "audit.tasks.anchor_audit_log",
        "schedule": crontab(hour=0, minute=5),
    },
    "verify-records": {
        "task": "cases.tasks.verify_records",
        "schedule": crontab(hour=4, minute=0),
    },
    # Diary tasks whose day has come, before the digests of the morning (diaries/tasks.py).
    "apply-diary-rules": {
        "task": "diaries.tasks.apply_diary_rules",
        "schedule": crontab(hour=5, minute=0),
    },
    # Webhook deliveries whose task was lost (notifications/webhooks/services.py).
    "resume-webhook-deliveries": {
        "task": "notifications.tasks.resume_webhook_deliveries",
        "schedule": crontab(minute="*/10"),
    },
    # Questionnaire plans' links of the day and reminders of unanswered ones, in the
    # morning (patient_links/tasks.py).
    "send-questionnaire-links": {
        "task": "patient_links.tasks.send_planned_links",
        "schedule": crontab(hour=9, minute=0),
    },
}

# The rate limiter's counters (and any other cache use): Redis when REDIS_URL is set, so
# every web process shares one count; otherwise each process keeps its own in memory.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# The REST API (api/): token or session authentication, JSON only, one error shape.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/minute")
API_TOKEN_FAILURE_LIMIT = env_str("API_TOKEN_FAILURE_LIMIT", "10/minute")
# Documents a user's downloads may have rendered in a minute (those already stored are
# served without limit): a flood of first downloads cannot keep the workers for one user.
RENDERINGS_PER_USER_PER_MINUTE = env_int("RENDERINGS_PER_USER_PER_MINUTE", 20)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.StrictContentNegotiation",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MMI Tracker API",
    "DESCRIPTION": "Cases, clinical records, MMI determinations and signed reports for claims "
    "systems and EHRs. Authenticate with `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PATH_CONVERTER_OVERRIDES": {
        "record_id": {"type": "integer", "minimum": 1, "maximum": 999_999_999_999_999_999}
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.restore_fhir_operation_names",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.CaseStatus",
        "DeliveryPartyEnum": "deliveries.models.Recipient.PartyChoice",
        "DeterminationStatusEnum": "cases.models.Determination.Status",
        "NoteKindEnum": "notes.models.Note.Kind",
        "NotePartyEnum": "notes.models.Note.Party",
        "SideEnum": "cases.models.cases.Side",
        "WorkStatusKindEnum": "cases.models.WorkStatus.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint narrates every rendering step at INFO; its warnings (a refused fetch) stay.
        "weasyprint.progress": {"level": "WARNING"},
        # Without a broker, tasks run inline in the web process, which would print a line for
        # each one that succeeds; a worker's log keeps them. Failures are logged either way.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}
