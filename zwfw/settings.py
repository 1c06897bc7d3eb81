"""One settings module, driven by environment variables.

With no variable set, everything runs on 127.0.0.1 with SQLite under var/.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ZWFW_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def envbool(name: str, default: str = "False") -> bool:
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envsecret(name: str, filename: str, nbytes: int = 50) -> str:
    """A secret from NAME, from the file NAME_FILE, or generated once under var/."""
    if os.environ.get(name):
        return os.environ[name]
    path = Path(os.environ.get(f"{name}_FILE", VAR_DIR / filename))
    if not path.exists():
        path.write_text(secrets.token_urlsafe(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = envsecret("SECRET_KEY", "secret_key")
# Key material for personal data at rest (SM4) and its blind index (HMAC-SM3).
# Losing this file makes stored ID numbers and phones unreadable: back it up with the database.
DATA_KEY = envsecret("ZWFW_DATA_KEY", "data_key")
DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_NAME = os.environ.get("ZWFW_SITE_NAME", "政务服务首席服务平台")  # page titles, header, PDFs
# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For is believed; from any
# other peer the socket address is the client (core.middleware.request_ip).
TRUSTED_PROXIES = [p for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves Swagger UI from local static files, not a CDN
    "huey.contrib.djhuey",
    "axes",
    "zwfw.core",
    "zwfw.workdays",
    "zwfw.org",
    "zwfw.documents",
    "zwfw.catalog",
    "zwfw.grants",
    "zwfw.notifications",
    "zwfw.cases",
    "zwfw.evaluations",
    "zwfw.supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, saving the idle expiry at most once a minute (GET pages do not write).
    "zwfw.core.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses NUL / lone surrogates (422), cleans control characters out of bodies, answers
    # oversized bodies with 413 — before CSRF, forms or views read the request.
    "zwfw.core.inputguard.InputGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zwfw.core.middleware.RequestContextMiddleware",
    "zwfw.core.middleware.RuleViolationMiddleware",
    # Axes must come last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

# Largest request body outside file uploads (JSON, form fields), in bytes: a 12345 hotline
# batch of ZWFW_SUPERVISION_HOTLINE_MAX_ROWS rows fits. Larger bodies answer 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

ROOT_URLCONF = "zwfw.urls"
WSGI_APPLICATION = "zwfw.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zwfw.core.context_processors.site",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zwfw.sqlite3'}")


def database(url: str) -> dict:
    """One DATABASES entry from a URL, tuned for its engine."""
    config = dj_database_url.parse(url, conn_max_age=None)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; "
                "PRAGMA wal_autocheckpoint=10000;"
            ),
            # Writers take the lock at BEGIN, so two services never deadlock on upgrade.
            "transaction_mode": "IMMEDIATE",
        }
        config["CONN_MAX_AGE"] = 0
    else:
        # PostgreSQL: bind parameters on the server and let psycopg prepare the statements a
        # connection repeats (every case transition runs the same dozen): about a sixth off
        # each transition (bench/cases.py). Behind pgbouncer in transaction mode set
        # PG_PREPARE_THRESHOLD=0, which turns preparing off.
        prepare = int(os.environ.get("PG_PREPARE_THRESHOLD", "5"))
        config.setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=prepare or None
        )
    return config


DATABASES = {"default": database(DATABASE_URL)}
# A streaming replica of the primary (issue 17 point 5): list pages, dashboards and exports
# read from it, everything else from the primary (zwfw.core.routers documents the rule).
# Writes and migrations only ever go to `default`. In tests the alias mirrors `default`.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(DATABASE_REPLICA_URL)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["zwfw.core.routers.ReplicaRouter"]
# Seconds a client reads only from the primary after its own write (a POST, PUT, PATCH or
# DELETE): longer than the replica's lag, so the page after a change shows the change.
ZWFW_REPLICA_PIN_SECONDS = envint("ZWFW_REPLICA_PIN_SECONDS", 15)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "zwfw.core.routers.ReplicaMiddleware",
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis (REDIS_URL, e.g. redis://10.0.0.5:6379/0): with several app nodes or Huey workers
# on several machines everything shared lives there — the cache (calendar version, lookups),
# sessions, rate limits (zwfw.core.ratelimit talks to REDIS_URL itself) and the task queue.
# Without it: per-process memory cache, sessions and rate counters in the database, and the
# task queue in a SQLite file under var/ (one machine only).
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY_CONSUMER = {
    # `manage.py run_huey` on each worker machine: threads per process, and whether this
    # machine's consumer also enqueues the periodic tasks (exactly one machine should).
    "workers": envint("HUEY_WORKERS", 2),
    "worker_type": os.environ.get("HUEY_WORKER_TYPE", "thread"),
    "periodic": envbool("HUEY_PERIODIC", "True"),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zwfw",
        }
    }
    # Sessions in Redis only: SESSION_SAVE_EVERY_REQUEST would otherwise write a database
    # row on every page view. A Redis restart logs staff out (they log in again); set
    # SESSION_ENGINE=django.contrib.sessions.backends.cached_db to keep them in the database.
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.cache")
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("HUEY_NAME", "zwfw"),
        "url": REDIS_URL,
        # Workers wait on the queue (BRPOP) instead of polling it: a task starts at once on
        # whichever machine is free.
        "blocking": True,
        "immediate": envbool("HUEY_IMMEDIATE"),
        "consumer": HUEY_CONSUMER,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Django's database store, its read compiled once (core.sessions).
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "zwfw.core.sessions")
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "zwfw",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": envbool("HUEY_IMMEDIATE"),
        "consumer": HUEY_CONSUMER,
    }

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend plus the per-username ceiling (core.lockout, issue 11 point 13).
    "zwfw.core.lockout.CeilingModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's checks with Chinese messages (zwfw.core.passwords), plus character classes and no
# username inside the password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "zwfw.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "zwfw.core.passwords.CharacterClassValidator"},
    {"NAME": "zwfw.core.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "zwfw.core.passwords.UsernameInPasswordValidator"},
    {"NAME": "zwfw.core.passwords.CommonPasswordValidator"},
    {"NAME": "zwfw.core.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Idle sessions end after 30 minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_REFRESH_SECONDS = envint("SESSION_REFRESH_SECONDS", 60)
SESSION_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
# 5 failures lock a username from one client address (username AND address together), so
# nobody can lock a colleague out by name alone; the account itself locks at a higher ceiling
# of failures from any addresses (core.lockout.CeilingModelBackend): (count, seconds).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "zwfw.core.middleware.request_ip"  # honours TRUSTED_PROXIES
ZWFW_LOGIN_USERNAME_LIMIT = (
    envint("ZWFW_LOGIN_USERNAME_FAILURES", 20),
    envint("ZWFW_LOGIN_USERNAME_SECONDS", 1800),
)
AXES_LOCKOUT_CALLABLE = "zwfw.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "zwfw.core.lockout.username_of"
SILENCED_SYSTEM_CHECKS = []
AXES_VERBOSE = False

API_TOKEN_HOURS = envint("API_TOKEN_HOURS", 12)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Each app node collects its own copy (`manage.py collectstatic`) and WhiteNoise serves it;
# ZWFW_STATIC_ROOT keeps it off a shared var/ directory.
STATIC_ROOT = Path(os.environ.get("ZWFW_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The SMS sender: the default writes to the outbox table only (zwfw.notifications).
NOTIFICATION_SENDER = os.environ.get(
    "NOTIFICATION_SENDER", "zwfw.notifications.senders.OutboxOnlySender"
)

# Legal clock defaults (RULES.md L-ACCEPT, L-LIMIT): each a setting with the legal default.
CASES_ACCEPT_DAYS = envint("CASES_ACCEPT_DAYS", 5)  # working days to accept, refuse or notify
CASES_DEFAULT_LIMIT_DAYS = envint("CASES_DEFAULT_LIMIT_DAYS", 20)
CASES_MAX_EXTENSION_DAYS = envint("CASES_MAX_EXTENSION_DAYS", 10)
# Joint handling across departments (一事联办): 45 working days, one extension of at most 15.
CASES_JOINT_LIMIT_DAYS = envint("CASES_JOINT_LIMIT_DAYS", 45)
CASES_JOINT_MAX_EXTENSION_DAYS = envint("CASES_JOINT_MAX_EXTENSION_DAYS", 15)
CASES_NUMBER_FORMAT = os.environ.get("CASES_NUMBER_FORMAT", "{center}-{date:%Y%m%d}-{seq:05d}")
# One-time SMS codes (notifications.codes): lifetime in seconds, wrong tries allowed, and
# codes per phone (per minute, per hour).
ZWFW_SMS_CODE_SECONDS = envint("ZWFW_SMS_CODE_SECONDS", 600)
ZWFW_SMS_CODE_ATTEMPTS = envint("ZWFW_SMS_CODE_ATTEMPTS", 5)
ZWFW_SMS_CODE_PHONE_LIMIT = (
    envint("ZWFW_SMS_CODE_PER_MINUTE", 1),
    envint("ZWFW_SMS_CODE_PER_HOUR", 5),
)
# Public progress queries per client: (count, seconds).
CASES_PUBLIC_QUERY_LIMIT = (
    envint("CASES_PUBLIC_QUERY_COUNT", 20),
    envint("CASES_PUBLIC_QUERY_SECONDS", 600),
)
# Decision committee (N-14): quorum of members present, majority of votes cast; a committee
# row may override both.
ZWFW_COMMITTEE_QUORUM = os.environ.get("ZWFW_COMMITTEE_QUORUM", "2/3")
ZWFW_COMMITTEE_MAJORITY = os.environ.get("ZWFW_COMMITTEE_MAJORITY", "1/2")

# --- cases and outbox hardening (issue 11 points 3, 5, 17; zwfw/cases/conf.py and
# zwfw/notifications/services.py) ---
# Wrong phone_last4 guesses per case number (count, seconds); past it the case answers the
# public query only with an SMS code texted to its phone.
CASES_PUBLIC_GUESS_LIMIT = (
    envint("CASES_PUBLIC_GUESS_COUNT", 10),
    envint("CASES_PUBLIC_GUESS_SECONDS", 86400),
)
# SMS codes a client address may ask for on the public case pages and API (count, seconds).
CASES_PUBLIC_CODE_LIMIT = (
    envint("CASES_PUBLIC_CODE_COUNT", 10),
    envint("CASES_PUBLIC_CODE_SECONDS", 3600),
)
# Online applications per client address and per applicant phone (count, seconds).
CASES_PUBLIC_APPLY_LIMIT = (
    envint("CASES_PUBLIC_APPLY_COUNT", 10),
    envint("CASES_PUBLIC_APPLY_SECONDS", 3600),
)
CASES_PUBLIC_APPLY_PHONE_LIMIT = (
    envint("CASES_PUBLIC_APPLY_PHONE_COUNT", 5),
    envint("CASES_PUBLIC_APPLY_PHONE_SECONDS", 86400),
)
# SMS sending: attempts before a message is FAILED, the first retry's delay (doubling after
# each failure, capped), and the lease a worker holds on a message while the gateway answers.
NOTIFICATION_MAX_ATTEMPTS = envint("NOTIFICATION_MAX_ATTEMPTS", 5)
NOTIFICATION_RETRY_SECONDS = envint("NOTIFICATION_RETRY_SECONDS", 60)
NOTIFICATION_RETRY_MAX_SECONDS = envint("NOTIFICATION_RETRY_MAX_SECONDS", 3600)
NOTIFICATION_CLAIM_SECONDS = envint("NOTIFICATION_CLAIM_SECONDS", 300)
# --- end cases and outbox hardening ---

# --- evaluations (zwfw.evaluations; read via zwfw/evaluations/conf.py) ---
# 好差评 (NATIONAL.md; 国办发〔2019〕51号): working days from a bad review to each step of its
# rectification, and the hard cap no extension may pass.
ZWFW_EVAL_CALLBACK_DAYS = envint("ZWFW_EVAL_CALLBACK_DAYS", 1)
ZWFW_EVAL_RECTIFY_DAYS = envint("ZWFW_EVAL_RECTIFY_DAYS", 5)
ZWFW_EVAL_REPORT_DAYS = envint("ZWFW_EVAL_REPORT_DAYS", 5)
ZWFW_EVAL_MAX_DAYS = envint("ZWFW_EVAL_MAX_DAYS", 15)
# Unrated completed cases: SMS invitation, then a default 基本满意 (natural days).
ZWFW_EVAL_INVITE_AFTER_DAYS = envint("ZWFW_EVAL_INVITE_AFTER_DAYS", 3)
ZWFW_EVAL_DEFAULT_AFTER_DAYS = envint("ZWFW_EVAL_DEFAULT_AFTER_DAYS", 7)
# Public address in SMS links and printed QR codes ("" = the address of the request).
ZWFW_EVAL_SITE_URL = os.environ.get("ZWFW_EVAL_SITE_URL", "")
# Public rating form: form lifetime (seconds), one-time visit links (hours),
# and submissions per client address (count, seconds).
ZWFW_EVAL_FORM_MAX_AGE = envint("ZWFW_EVAL_FORM_MAX_AGE", 1800)
ZWFW_EVAL_VISIT_TOKEN_HOURS = envint("ZWFW_EVAL_VISIT_TOKEN_HOURS", 24)
ZWFW_EVAL_PUBLIC_LIMIT = (
    envint("ZWFW_EVAL_PUBLIC_COUNT", 10),
    envint("ZWFW_EVAL_PUBLIC_SECONDS", 600),
)
# Flood limits of the public rating pages (issue 11 point 6), counted in the shared store:
# ratings per window and per staff member, and bad reviews per window and per staff member
# (count, seconds); past them the page answers 429 and nothing is stored.
ZWFW_EVAL_TARGET_LIMIT = (
    envint("ZWFW_EVAL_TARGET_COUNT", 30),
    envint("ZWFW_EVAL_TARGET_SECONDS", 3600),
)
ZWFW_EVAL_BAD_LIMIT = (
    envint("ZWFW_EVAL_BAD_COUNT", 3),
    envint("ZWFW_EVAL_BAD_SECONDS", 3600),
)
# --- end evaluations ---

# --- supervision (zwfw.supervision; read via zwfw/supervision/conf.py) ---
# Working days a department has to rectify a problem an inspection found (N-17).
ZWFW_SUPERVISION_RECTIFY_DAYS = envint("ZWFW_SUPERVISION_RECTIFY_DAYS", 10)
ZWFW_SUPERVISION_MAX_DRAW_SIZE = envint("ZWFW_SUPERVISION_MAX_DRAW_SIZE", 500)
ZWFW_SUPERVISION_HOTLINE_MAX_ROWS = envint("ZWFW_SUPERVISION_HOTLINE_MAX_ROWS", 20000)
# --- end supervision ---

# --- audit chain (issue 11, zwfw.core.audit) ---
# Key of the audit chain's HMAC-SM3 links and checkpoint signatures. Empty: derived from
# ZWFW_DATA_KEY (kept outside the database). Changing it needs a re-chain (`zwfw audit rechain`).
ZWFW_AUDIT_KEY = os.environ.get("ZWFW_AUDIT_KEY", "")
# Signed checkpoints of the chain's head, appended outside the database by the periodic task
# and by `zwfw audit checkpoint`; `zwfw audit verify` checks the chain against them.
ZWFW_AUDIT_CHECKPOINT_FILE = os.environ.get(
    "ZWFW_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl")
)
# Optional remote copy of each checkpoint: an http(s) URL (JSON POST) or a dotted callable.
ZWFW_AUDIT_CHECKPOINT_SINK = os.environ.get("ZWFW_AUDIT_CHECKPOINT_SINK", "")
# Minute field (crontab) of the periodic checkpoint task.
ZWFW_AUDIT_CHECKPOINT_MINUTES = os.environ.get("ZWFW_AUDIT_CHECKPOINT_MINUTES", "*/10")
# --- end audit chain ---

# --- security / HTTPS (issue 11) ---
# Behind TLS set ZWFW_HTTPS=1: cookies only over HTTPS, HTTP redirected to HTTPS, and HSTS
# for a year with includeSubDomains and preload (each its own switch). `manage.py check
# --deploy` then reports nothing (with DEBUG off, ALLOWED_HOSTS set and a long SECRET_KEY).
ZWFW_HTTPS = envbool("ZWFW_HTTPS")
SESSION_COOKIE_SECURE = envbool("ZWFW_SECURE_COOKIES", str(ZWFW_HTTPS))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("ZWFW_SSL_REDIRECT", str(ZWFW_HTTPS))
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = envint("ZWFW_HSTS_SECONDS", 31_536_000 if ZWFW_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("ZWFW_HSTS_INCLUDE_SUBDOMAINS", str(ZWFW_HTTPS))
SECURE_HSTS_PRELOAD = envbool("ZWFW_HSTS_PRELOAD", str(ZWFW_HTTPS))
# TLS ends at the reverse proxy: believe its X-Forwarded-Proto (the proxy must set it and
# overwrite what clients send). On by default when TRUSTED_PROXIES names the proxy.
if envbool("ZWFW_PROXY_SSL_HEADER", str(bool(TRUSTED_PROXIES))):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp 4): everything from this site only. Inline <script>
# blocks carry the request's nonce (nonce="{{ request.csp_nonce }}"); the two inline event
# handlers the pages use are allowed by hash; inline styles stay allowed (style attributes in
# templates, htmx's indicator style, ECharts). ZWFW_CSP_REPORT_ONLY=1 only reports.
import base64 as _base64  # noqa: E402
import hashlib as _hashlib  # noqa: E402

from csp.constants import NONCE as _CSP_NONCE  # noqa: E402

INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)


def _csp_hash(source: str) -> str:
    return f"'sha256-{_base64.b64encode(_hashlib.sha256(source.encode()).digest()).decode()}'"


CSP_INLINE_HANDLERS = ["window.print()", "this.form.submit()"]
_CSP = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [
            "'self'",
            _CSP_NONCE,
            "'unsafe-hashes'",
            *map(_csp_hash, CSP_INLINE_HANDLERS),
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
if envbool("ZWFW_CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
# --- end security / HTTPS ---

# --- issue 12 point 4: the comprehensive window (无差别综合窗口, R-17) ---
INSTALLED_APPS.append("zwfw.windows")
# --- end issue 12 point 4 ---

# --- issues 13, 14, 15: chief experts (seed 000), resident staff (seed 002), talents (seed 003) ---
INSTALLED_APPS += ["zwfw.experts", "zwfw.staff", "zwfw.talents"]
# --- end issues 13, 14, 15 ---
