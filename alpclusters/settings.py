"""Settings for the AlpClusters portal: one module, read from the environment (12-factor).

Nothing set gives the embedded default (SQLite under ``var/``, Celery tasks run in-process, mail to
the console, DEBUG on). ``DEBUG=0`` switches to production, where every value that has no safe
default must be given, or the process refuses to start. Every variable is listed in the README and
in ``.env.example``.
"""

import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
import structlog
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from common.cache import pool_options

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env is convenient for development; real deployments set the environment itself.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

_missing = [
    name
    for name in ("SECRET_KEY", "DATABASE_URL", "EMAIL_URL", "ALLOWED_HOSTS")
    if not DEBUG and not env.str(name, default="")
]
if not DEBUG and not (env.str("CELERY_BROKER_URL", default="") or env.str("REDIS_URL", default="")):
    _missing.append("REDIS_URL (or CELERY_BROKER_URL)")
if _missing:
    raise ImproperlyConfigured(
        "DEBUG is off, so these production settings must be set: " + ", ".join(_missing)
    )


def _development_secret_key() -> str:
    """A per-checkout secret for the embedded run, kept under var/ so sessions survive restarts."""
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / "secret_key.txt"
    if not path.exists():
        path.write_text(get_random_secret_key())
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _development_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "csp",
    "django_filters",
    "django_structlog",
    # Ours, in the order they depend on each other: the outbox below everything, the site's
    # pages, impact and digests on top (they read every app).
    "outbox",
    "stakeholders",
    "alpcafes",
    "blog",
    "polls",
    "partnerships",
    "digests",
    "impact",
    "pages",
]

MIDDLEWARE = [
    # First, so that every request is logged with its id and duration, redirects included.
    "django_structlog.middlewares.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.pagecache.MemberPagesPrivateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "common.middleware.RejectNulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "alpclusters.urls"
WSGI_APPLICATION = "alpclusters.wsgi.application"
ASGI_APPLICATION = "alpclusters.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# Persistent connections roughly double page throughput; health checks drop a connection that the
# server closed (restart, failover) instead of failing the next request with it.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES:
    # A database host that does not answer fails a request (and the readiness check) within
    # seconds instead of the system's TCP timeout; ?connect_timeout= in DATABASE_URL overrides it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# The registry's facet index carries the id for index-only scans on PostgreSQL; SQLite (the
# embedded default) ignores that part and would say so on every command.
SILENCED_SYSTEM_CHECKS = [] if IS_POSTGRES else ["models.W040"]
# Each test run gets a database of its own (scripts/with-services.sh sets TEST_RUN_ID), so that two
# runs on one machine never share one.
TEST_RUN_ID = env.str("TEST_RUN_ID", default="")
if TEST_RUN_ID and IS_POSTGRES:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{TEST_RUN_ID}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis: one client per process (Django's own backend builds one per call),
            # and a cache that is down degrades to no cache instead of failing the request
            # (IGNORE_EXCEPTIONS): pages render uncached, sessions come from the database, rate
            # limits let requests through, mail waits in the database for the broker.
            "BACKEND": "common.cache.PortalRedisCache",
            "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
            # A test run's keys carry its run id: it clears only what it wrote.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="alpclusters")
            + (f"-test-{TEST_RUN_ID}" if TEST_RUN_ID else ""),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
                "SOCKET_TIMEOUT": env.float("CACHE_TIMEOUT", default=0.5),
                "CONNECTION_POOL_KWARGS": pool_options(),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "alpclusters.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database (shared by every web process); the cache is only an accelerator.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Accounts (django-allauth) ------------------------------------------------------------------
AUTH_USER_MODEL = "stakeholders.User"
# Django's and allauth's backends, reading a member's groups with the member (one query less on
# every page a member sees).
AUTHENTICATION_BACKENDS = [
    "stakeholders.backends.GroupsModelBackend",
    "stakeholders.backends.GroupsAllauthBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Confirming the address from the browser that signed up logs the member in (allauth does this
# only within that session, so a leaked link logs nobody in).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Sign-up asks for the member's name: the site never shows one derived from the address.
ACCOUNT_SIGNUP_FORM_CLASS = "stakeholders.forms.SignupNameForm"
# A taken address costs as much work as a new one: the answer's time does not tell.
ACCOUNT_FORMS = {"signup": "stakeholders.signup.PortalSignupForm"}
ACCOUNT_USER_DISPLAY = "stakeholders.models.user_display"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AlpClusters] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "stakeholders.adapters.AccountAdapter"
# allauth's default rate limits stay on (login failures, sign-ups, password resets, confirmation
# mails); they are counted in the cache, which is shared Redis in production.
ACCOUNT_RATE_LIMITS = {}

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("sl", _("Slovenian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times as each language writes them (17 December 2026 · 17. Dezember 2026).
FORMAT_MODULE_PATH = ["alpclusters.formats"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
# whitenoise warns about a missing folder even when it serves through the finders (development).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Third-party front-end code comes from the npm registry at set-up (package-lock.json) and is
    # served by us like our own files: no CDN, no visitor data to third parties.
    ("vendor/bootstrap", BASE_DIR / "node_modules/bootstrap/dist"),
    ("vendor/leaflet", BASE_DIR / "node_modules/leaflet/dist"),
    ("vendor/leaflet.markercluster", BASE_DIR / "node_modules/leaflet.markercluster/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# The directory map: tiles come from this server (OpenStreetMap's by default); markers and the
# list work without them.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env.str(
    "MAP_TILE_ATTRIBUTION",
    default="&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a>"
    " contributors",
)
# A member's posts wait for a moderator until this many of theirs were approved.
BLOG_TRUSTED_AFTER_APPROVED_POSTS = env.int("BLOG_TRUSTED_AFTER_APPROVED_POSTS", default=3)
# Minutes during which the author may still edit a comment.
BLOG_COMMENT_EDIT_MINUTES = env.int("BLOG_COMMENT_EDIT_MINUTES", default=15)
# How often a member may do each thing (django-ratelimit's "count/period": s, m, h, d); from one
# address, RATE_LIMIT_ADDRESS_FACTOR times as often (colleagues share an office's address).
RATE_LIMITS = {
    "comment": env.str("RATE_LIMIT_COMMENT", default="10/m"),
    "post": env.str("RATE_LIMIT_POST", default="10/h"),
    "report": env.str("RATE_LIMIT_REPORT", default="10/h"),
    "support": env.str("RATE_LIMIT_SUPPORT", default="30/m"),
    "endorse": env.str("RATE_LIMIT_ENDORSE", default="10/h"),
    "register_organisation": env.str("RATE_LIMIT_REGISTER_ORGANISATION", default="3/h"),
    "join_request": env.str("RATE_LIMIT_JOIN_REQUEST", default="5/h"),
    "relay": env.str("RATE_LIMIT_RELAY", default="5/h"),
    "interest": env.str("RATE_LIMIT_INTEREST", default="10/h"),
    "opportunity": env.str("RATE_LIMIT_OPPORTUNITY", default="10/h"),
    "poll_answer": env.str("RATE_LIMIT_POLL_ANSWER", default="30/m"),
}
RATE_LIMIT_ADDRESS_FACTOR = env.int("RATE_LIMIT_ADDRESS_FACTOR", default=5)
# While the cache (Redis) is down nothing can be counted: let members write rather than refuse
# everyone.
RATELIMIT_FAIL_OPEN = True

# Every form in Bootstrap 5's markup, written by Python rather than by a template per widget and
# option (common/forms.py): a member's page renders its form in a tenth of the time.
FORM_RENDERER = "common.forms.BootstrapRenderer"

# --- Mail ---------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="AlpClusters <noreply@alpclusters.eu>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or REDIS_URL or "memory://"
# Without a broker the embedded default runs every task in-process, at once.
CELERY_TASK_ALWAYS_EAGER = env.bool(
    "CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://"
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only once done, one at a time: a killed worker's task goes back to the
# queue instead of being lost. Tasks are idempotent (the database is the outbox), so a redelivery
# is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up quickly so that a request never hangs on a broker that is down.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE
# --- The outbox: one claim timeout, one retry policy for every message ---------------------------
OUTBOX_RECIPIENT_MODEL = "stakeholders.Contact"
# Messages a task sends over one SMTP connection.
OUTBOX_BATCH = env.int("OUTBOX_BATCH", default=500)
# A claim older than this (seconds) belongs to a worker that died: the sweep queues the row again.
OUTBOX_CLAIM_TIMEOUT = env.int("OUTBOX_CLAIM_TIMEOUT", default=900)
# A queued row no worker has claimed after this long (seconds; its task never reached the broker)
# is handed to a worker again by the sweep.
OUTBOX_SWEEP_AFTER = env.int("OUTBOX_SWEEP_AFTER", default=120)
# When SMTP fails: retry after OUTBOX_RETRY_BASE seconds, doubling up to OUTBOX_RETRY_MAX, and give
# up (state "failed", retried from the admin) after OUTBOX_MAX_ATTEMPTS attempts.
OUTBOX_RETRY_BASE = env.int("OUTBOX_RETRY_BASE", default=30)
OUTBOX_RETRY_MAX = env.int("OUTBOX_RETRY_MAX", default=3600)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)

# What beat runs; a person can run the digests by hand too: manage.py send_digests.
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "outbox.tasks.sweep_outbox_task",
        "schedule": env.float("OUTBOX_SWEEP_EVERY", default=60.0),
    },
    "digests-weekly": {
        "task": "digests.tasks.queue_digests_task",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
        "kwargs": {"frequency": "weekly"},
    },
    "digests-monthly": {
        "task": "digests.tasks.queue_digests_task",
        "schedule": crontab(minute=0, hour=7, day_of_month="1"),
        "kwargs": {"frequency": "monthly"},
    },
    "retention-purge": {
        "task": "pages.tasks.retention_purge_task",
        "schedule": crontab(minute=30, hour=3),
    },
    "moderation-notices": {
        "task": "digests.tasks.queue_moderation_notices_task",
        "schedule": 1800.0,
    },
    "alpcafes-reminders": {"task": "alpcafes.tasks.queue_reminders_task", "schedule": 900.0},
    "alpcafes-outcome-reminders": {
        "task": "alpcafes.tasks.queue_outcome_reminders_task",
        "schedule": 3600.0,
    },
    # Closes the date polls whose time is up and reminds, once, who has not answered.
    "polls-housekeeping": {"task": "polls.tasks.poll_housekeeping_task", "schedule": 900.0},
    # Reminds the owners of partnership opportunities that expire within two weeks.
    "partnerships-reminders": {
        "task": "partnerships.tasks.opportunity_reminders_task",
        "schedule": crontab(minute=0, hour=8),
    },
}

# --- Legal: who answers for the portal and its data, and how long what is kept -------------------
LEGAL = {
    # The controller (GDPR art. 4(7)), named in the privacy notice and the imprint.
    "controller_name": env.str("CONTROLLER_NAME", default="AlpClusters 2020 project partnership"),
    "controller_address": env.str(
        "CONTROLLER_ADDRESS", default="c/o the lead partner, Via Roma 1, 39100 Bolzano, Italy"
    ),
    "controller_email": env.str("CONTROLLER_EMAIL", default="privacy@alpclusters.eu"),
    "dpo_email": env.str("DPO_EMAIL", default=""),
    "supervisory_authority": env.str(
        "SUPERVISORY_AUTHORITY", default="Garante per la protezione dei dati personali (Italy)"
    ),
    "hosting": env.str("HOSTING_PROVIDER", default="a hosting provider in the European Union"),
    # The version of the privacy notice and community rules that members accept at sign-up.
    "version": env.str("LEGAL_VERSION", default="2026-12-02"),
    "accessibility_reviewed": env.str("ACCESSIBILITY_REVIEWED", default="2026-12-02"),
}
# How long what is kept (days); beat purges the rest every night (pages.tasks).
RETENTION = {
    "unverified_accounts": env.int("RETENTION_UNVERIFIED_ACCOUNTS_DAYS", default=14),
    "sent_mail": env.int("RETENTION_SENT_MAIL_DAYS", default=365),
    "decided_join_requests": env.int("RETENTION_JOIN_REQUESTS_DAYS", default=365),
    "audit_log": env.int("RETENTION_AUDIT_LOG_DAYS", default=3 * 365),
    "invitation_links": env.int("RETENTION_INVITATION_LINKS_DAYS", default=30),
}

# --- Release ------------------------------------------------------------------------------------
# Part of every cached page's key and ETag (common/release.py): a new release never serves the old
# one's pages. Empty: a digest of the source files, computed once per process when first needed.
RELEASE = env.str("RELEASE", default="")

# --- Security -----------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=True) else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content-Security-Policy: scripts from our own origin only (no inline script, no eval); styles may
# be inline (Leaflet and Bootstrap position elements with style attributes); images from us, data:
# URLs (Leaflet's icons) and the map's tile server; nothing may frame the portal.
_TILE_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILE_URL.replace("{s}", "a")))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", _TILE_ORIGIN],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Features the portal never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "browsing-topics": [],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# --- Logs ---------------------------------------------------------------------------------------
# One line per event on stderr. In production (LOG_FORMAT=json, the default with DEBUG off) each
# line is a JSON object; within a request it carries the request id (X-Request-ID, taken from the
# proxy when it sends a sane one, else generated, and returned in the response), the user's id
# (never an address) and, on the request's own line, method, path (secrets in it masked), status
# and duration; in a Celery task the task id and the id of the request that queued it.
# Development keeps readable console lines.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
if LOG_FORMAT not in ("json", "console"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or console, not {LOG_FORMAT!r}")
_log_chain = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]
structlog.configure(
    processors=[
        structlog.stdlib.filter_by_level,
        *_log_chain,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.StackInfoRenderer(),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # Lines of the standard library's loggers (Django, Celery, ours) get the same fields.
        "json": {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": _log_chain,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        },
        "console": {
            "()": structlog.stdlib.ProcessorFormatter,
            "foreign_pre_chain": _log_chain,
            "processors": [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()),
            ],
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler would print its lines a second time in development.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO"},
        # Its lines repeat what the request's own line says (4xx, 5xx with the traceback), with
        # the path unmasked.
        "django.request": {"level": "CRITICAL"},
        # Tasks run in-process on the embedded default: one line per task is noise there.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}
# django-structlog: the request's line at the end (the start only when debugging), no IP address
# (personal data), the request id handled by pages/logs.py, tasks on the broker carry it along.
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG
DJANGO_STRUCTLOG_USER_ID_FIELD = "pk"
