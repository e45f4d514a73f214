"""Safeguard settings: one file, read from the environment.

Production differs from a developer's machine only through environment variables:
``DATABASE_URL``, ``SAFEGUARD_SECRET_KEY``, ``SAFEGUARD_DEBUG``, ``SAFEGUARD_ALLOWED_HOSTS``.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("SAFEGUARD_VAR_DIR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(variable: str = "SAFEGUARD_SECRET_KEY", file: str = "secret_key") -> str:
    """The key from the environment, else one generated once and kept under ./var/."""
    if key := os.environ.get(variable):
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / file
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# --- Core -----------------------------------------------------------------------------------
SECRET_KEY = _secret_key()
# Whether the keys came from the environment (as on a live server: the same on every web
# server, kept apart from backups) or were generated into ./var/ (``safeguard check-setup``).
SAFEGUARD_SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SAFEGUARD_SECRET_KEY"))
SAFEGUARD_AUDIT_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SAFEGUARD_AUDIT_KEY"))
# The key of the audit chains and of their checkpoints (docs/decisions/0006). Never stored in
# the database: whoever holds only the database cannot rewrite the audit trail unseen. Keep
# it with the secret key, apart from database backups; losing it makes old rows unverifiable.
SAFEGUARD_AUDIT_KEY = _secret_key("SAFEGUARD_AUDIT_KEY", "audit_key")
# Where the checkpoints of the audit chains' heads are appended (outside the database; ideally
# a disk or host the database's users cannot write to).
SAFEGUARD_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("SAFEGUARD_AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")
)
DEBUG = _env_bool("SAFEGUARD_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("SAFEGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
ROOT_URLCONF = "safeguard.urls"
WSGI_APPLICATION = "safeguard.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # First, so that its `createsuperuser` (password rules always applied) replaces Django's.
    "safeguard.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "safeguard.core",
    "safeguard.audit",
    "safeguard.notices",
    "safeguard.procedures",
    "safeguard.people",
    "safeguard.casework",
    "safeguard.documents",
    "safeguard.referrals",
    "safeguard.directory",
    "safeguard.earlyhelp",
    "safeguard.assessments",
    "safeguard.protection",
    "safeguard.partners",
    "safeguard.timescales",
    "safeguard.transfers",
    "safeguard.workforce",
    "safeguard.backlog",
    "safeguard.performance",
    "safeguard.boards",
    "safeguard.governance",
    "safeguard.work",
    "safeguard.privacy",
    "safeguard.demo",
    "safeguard.returns",
    "safeguard.quality",
    "safeguard.supervision",
    "safeguard.assurance",
    "safeguard.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: an oversized request is refused unread (HTTP 413).
    "safeguard.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, reading the verified device with the user (accounts.twofactor).
    "safeguard.accounts.middleware.OTPMiddleware",
    # Idle and absolute session limits, then the second factor before any other page.
    "safeguard.accounts.middleware.SessionLimitsMiddleware",
    "safeguard.accounts.middleware.TwoFactorRequiredMiddleware",
    # Inspectors only read: any other method is refused before a view runs (decision 0042).
    "safeguard.accounts.middleware.ReadOnlyRolesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safeguard.core.middleware.RecordPageCacheMiddleware",
    "safeguard.core.middleware.DraftCleanupMiddleware",
    "safeguard.core.middleware.AccessLogFailureMiddleware",
    "safeguard.people.middleware.RestrictedRecordMiddleware",
    "safeguard.core.middleware.StaleRecordMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The keyed API's lean path (safeguard.core.keyed_api, decision 0078): a call to these paths
# with "Authorization: Bearer <key>" runs only this middleware. A partner's system has no
# session, so sessions, CSRF, the signed-in user, the second factor, the session limits,
# messages, drafts and django-axes have nothing to do; the security headers are still sent.
SAFEGUARD_KEYED_API_PATHS = ("/api/v1/child-protection-status", "/api/v1/fhir/")
SAFEGUARD_KEYED_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "safeguard.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "safeguard.core.keyed_api.AnonymousCallerMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safeguard.core.middleware.AccessLogFailureMiddleware",
]

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
                "safeguard.core.context_processors.service",
            ],
        },
    },
]
FORM_RENDERER = "safeguard.core.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------
# SQLite under ./var/ by default; DATABASE_URL selects PostgreSQL (psycopg 3) or another file.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safeguard.sqlite3'}"),
        # Seconds a server thread keeps its database connection between requests (decision
        # 0078): 0, the default, opens one for every request.
        conn_max_age=int(os.environ.get("SAFEGUARD_DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue instead of failing half-way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler judges the indicators' correlated subqueries expensive and
    # spends seconds compiling statements that run in milliseconds (docs/performance.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

# A reporting replica (decision 0072): the dashboard, indicator pages, drill-down lists,
# demand, the returns' exports and `safeguard kpis` read from it; writes stay on the primary.
if os.environ.get("SAFEGUARD_REPORTING_DATABASE_URL"):
    DATABASES["reporting"] = dj_database_url.parse(
        os.environ["SAFEGUARD_REPORTING_DATABASE_URL"], conn_max_age=0
    )
    if DATABASES["reporting"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["reporting"]["OPTIONS"] = {"options": "-c jit=off"}
    elif DATABASES["reporting"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["reporting"]["OPTIONS"] = {"timeout": 20}
    # Under test, the replica is the test database itself, read on its own connection.
    DATABASES["reporting"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["safeguard.core.db.ReportingRouter"]

# Performance pages run their independent aggregate statements on this many connections at
# once (safeguard/core/parallel_reads.py; decision 0016); 1 runs them one after another.
SAFEGUARD_READ_WORKERS = max(
    1, int(os.environ.get("SAFEGUARD_READ_WORKERS", min(4, os.cpu_count() or 1)))
)

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "work:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
# The first backend refuses a user name and address locked out by django-axes.
AUTHENTICATION_BACKENDS = [
    "safeguard.accounts.backends.LockoutBackend",
    "safeguard.accounts.backends.StaffBackend",
]
PASSWORD_HASHERS = [
    "safeguard.accounts.hashers.SafeguardArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two factors for every account: a TOTP code (or a single-use backup code) after the password.
OTP_TOTP_ISSUER = os.environ.get("SAFEGUARD_SERVICE_NAME", "Safeguard")
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes, wait 2**(n-1) seconds
OTP_STATIC_THROTTLE_FACTOR = 1
SAFEGUARD_BACKUP_CODES = 10

# Brute-force lockout (django-axes): keyed on user name AND address together, so nobody can
# lock a colleague out from elsewhere; lifted by itself after the cool-off. Wrong second-factor
# codes count as failures too. Every attempt is logged (axes' access log and failure log).
AXES_FAILURE_LIMIT = int(os.environ.get("SAFEGUARD_SIGN_IN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("SAFEGUARD_SIGN_IN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "safeguard.accounts.views.locked_out_page"
AXES_HTTP_RESPONSE_CODE = 429
AXES_RESET_ON_SUCCESS = False  # reset once the second factor is right
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
# The client's address behind a trusted reverse proxy (SAFEGUARD_TRUSTED_PROXIES below).
AXES_CLIENT_IP_CALLABLE = "safeguard.core.client_ip.client_ip"

# --- Sessions and cookies -------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The idle limit: a session ends 30 minutes after the last request. It is renewed (cookie and
# row) at most once a SAFEGUARD_SESSION_RENEW_SECONDS, not on every request (one write fewer per
# page), and lives that much longer than 30 minutes so that it never ends sooner
# (accounts/middleware.py: SessionLimitsMiddleware).
SAFEGUARD_SESSION_IDLE_SECONDS = 30 * 60
SAFEGUARD_SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_AGE = SAFEGUARD_SESSION_IDLE_SECONDS + SAFEGUARD_SESSION_RENEW_SECONDS
SESSION_SAVE_EVERY_REQUEST = False
SAFEGUARD_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60  # signed in again after 12 hours at most
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Unless this machine (127.0.0.1) is served, cookies go over HTTPS only and HTTPS is enforced
# (a production host list that includes 127.0.0.1 needs SAFEGUARD_HTTPS=1, or `check --deploy`
# fails on the missing HTTPS settings).
_HTTPS = _env_bool("SAFEGUARD_HTTPS", not DEBUG and "127.0.0.1" not in ALLOWED_HOSTS)
SESSION_COOKIE_SECURE = _env_bool("SAFEGUARD_SECURE_COOKIES", _HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SAFEGUARD_HSTS_SECONDS", 31_536_000 if _HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS
# A load balancer's health check (`/health/`) may come over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SAFEGUARD_BEHIND_PROXY = _env_bool("SAFEGUARD_BEHIND_PROXY", False)
if SAFEGUARD_BEHIND_PROXY:
    # The reverse proxy ends TLS and says so in this header (never trust it otherwise).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is read
# for the client's address (sign-in lockout, access log): `core/client_ip.py`. Behind a proxy
# with none named, a proxy on this machine is assumed. Never name a network clients are in.
SAFEGUARD_TRUSTED_PROXIES = [
    s.strip()
    for s in os.environ.get(
        "SAFEGUARD_TRUSTED_PROXIES", "127.0.0.1,::1" if SAFEGUARD_BEHIND_PROXY else ""
    ).split(",")
    if s.strip()
]
for _proxy in SAFEGUARD_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(
            f"SAFEGUARD_TRUSTED_PROXIES: {_proxy!r} is not an address or network"
        ) from _error
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# A strict Content-Security-Policy: nothing inline, nothing from elsewhere (ASVS 3.4.3).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Uploads ---------------------------------------------------------------------------------
# No request body may be larger than this (HTTP 413, nothing read or stored); the reverse
# proxy should refuse the same size.
SAFEGUARD_MAX_UPLOAD_BYTES = int(os.environ.get("SAFEGUARD_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = SAFEGUARD_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = min(SAFEGUARD_MAX_UPLOAD_BYTES, 2_621_440)

# --- Background tasks ------------------------------------------------------------------------
# Statutory returns started from the web run in a worker (`safeguard db_worker`, which
# `safeguard serve` starts beside the server); the queue is a table in the same database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# `/health/` fails when a background job has waited this long to start (no worker running).
SAFEGUARD_HEALTH_QUEUE_MINUTES = int(os.environ.get("SAFEGUARD_HEALTH_QUEUE_MINUTES", "10"))
# Uploaded census files and finished returns, kept per job; never served as static files.
SAFEGUARD_RETURNS_DIR = Path(os.environ.get("SAFEGUARD_RETURNS_DIR", VAR_DIR / "returns"))
# A finished return's files are removed this many days after it finished (the scheduled job
# clean-return-files, decision 0071): they name every child in them.
SAFEGUARD_RETURN_FILES_DAYS = int(os.environ.get("SAFEGUARD_RETURN_FILES_DAYS", "30"))
# Typing kept for a form nobody came back to is removed after this many days (clean-drafts).
SAFEGUARD_DRAFT_DAYS = int(os.environ.get("SAFEGUARD_DRAFT_DAYS", "30"))
# How long after the last keystroke a draft is saved (milliseconds): long enough not to post
# on every key, short enough that little typing is ever at risk. The tests shorten it.
SAFEGUARD_DRAFT_DELAY_MS = int(os.environ.get("SAFEGUARD_DRAFT_DELAY_MS", "1500"))

# --- Documents -------------------------------------------------------------------------------
# Documents on children's records (letters, reports, photographs) are files in this folder,
# named by random keys, never served as static files (decision 0047). Back it up with the
# database.
SAFEGUARD_DOCUMENTS_DIR = Path(os.environ.get("SAFEGUARD_DOCUMENTS_DIR", VAR_DIR / "documents"))
# The largest document accepted. A request body is limited to SAFEGUARD_MAX_UPLOAD_BYTES, so
# this stays below it (with room for the form's other fields); raise both together.
SAFEGUARD_DOCUMENT_MAX_BYTES = int(
    os.environ.get("SAFEGUARD_DOCUMENT_MAX_BYTES", SAFEGUARD_MAX_UPLOAD_BYTES - 512 * 1024)
)
if SAFEGUARD_DOCUMENT_MAX_BYTES > SAFEGUARD_MAX_UPLOAD_BYTES - 64 * 1024:
    raise ImproperlyConfigured(
        "SAFEGUARD_DOCUMENT_MAX_BYTES must be at least 64 KB below SAFEGUARD_MAX_UPLOAD_BYTES"
    )

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SAFEGUARD_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Logging ---------------------------------------------------------------------------------
# SAFEGUARD_LOG_FORMAT=json: one JSON object a line (time, level, logger, message), for a
# log collector; otherwise plain text.
SAFEGUARD_LOG_FORMAT = os.environ.get("SAFEGUARD_LOG_FORMAT", "text").strip().lower()
if SAFEGUARD_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("SAFEGUARD_LOG_FORMAT is text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "safeguard.core.logs.JsonLinesFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if SAFEGUARD_LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SAFEGUARD_LOG_LEVEL", "WARNING")},
    # Sign-ins, failures, lockouts, second factors and ended sessions (ASVS 16.3.1).
    "loggers": {"safeguard.auth": {"level": os.environ.get("SAFEGUARD_AUTH_LOG_LEVEL", "INFO")}},
}

# --- Safeguard -------------------------------------------------------------------------------
# The authority's name shown in the header (never the GOV.UK crown or typeface).
SAFEGUARD_SERVICE_NAME = os.environ.get("SAFEGUARD_SERVICE_NAME", "Safeguard")
SAFEGUARD_DEMO_ACCOUNTS_FILE = VAR_DIR / "demo-accounts.txt"

# Email (notices are also sent by email): the console by default; tests use locmem.
EMAIL_BACKEND = os.environ.get(
    "SAFEGUARD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("SAFEGUARD_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SAFEGUARD_EMAIL_PORT", "25"))
# A relay that asks for STARTTLS (usually port 587) and a user name and password (docs/deploy.md).
EMAIL_USE_TLS = _env_bool("SAFEGUARD_EMAIL_USE_TLS", False)
EMAIL_HOST_USER = os.environ.get("SAFEGUARD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAFEGUARD_EMAIL_PASSWORD", "")
# Seconds to wait for the relay, so that a relay that does not answer cannot hold a request.
EMAIL_TIMEOUT = int(os.environ.get("SAFEGUARD_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("SAFEGUARD_FROM_EMAIL", "safeguard@localhost")
# The address of the service, to put links in emails.
SAFEGUARD_BASE_URL = os.environ.get("SAFEGUARD_BASE_URL", "http://127.0.0.1:8000")
# How long an invitation link (a new member of staff sets their password) lasts.
SAFEGUARD_INVITATION_HOURS = int(os.environ.get("SAFEGUARD_INVITATION_HOURS", "72"))
# Sealed records: how long break-glass access lasts, and how long a reason must be.
SAFEGUARD_BREAK_GLASS_MINUTES = int(os.environ.get("SAFEGUARD_BREAK_GLASS_MINUTES", "60"))
SAFEGUARD_BREAK_GLASS_REASON_MIN = 20
# Working days a manager has to review a break-glass use.
SAFEGUARD_BREAK_GLASS_REVIEW_WORKING_DAYS = 5
