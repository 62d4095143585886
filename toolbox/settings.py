"""ToolBox settings.

Every setting comes from the environment (see `.env.example`). Each variable has an
embedded default so that the project runs with nothing installed beyond Python: SQLite
instead of PostgreSQL, a local-memory cache and a filesystem Celery broker instead of
Redis, the offline AI generator instead of a model, local accounts instead of Clerk.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Local state (the SQLite file, the filesystem broker's folders) lives here.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or env.bool("TOOLBOX_TESTING", default=False)

DEBUG = env.bool("DEBUG", default=False)

_secret_key = env.str("SECRET_KEY", default="")
if not _secret_key:
    if DEBUG or TESTING:
        # Development only: the run command sets DEBUG=1, so this key never serves production.
        _secret_key = "django-insecure-development-only-key-do-not-use-in-production-0123456789"  # noqa: S105
    else:
        # One sentence instead of a traceback: the operator has one thing to fix.
        raise SystemExit(
            "ToolBox cannot start: SECRET_KEY is not set; set it to 50 or more random characters "
            "(or set DEBUG=1 for local development)."
        )
SECRET_KEY = _secret_key

ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])  # pyright: ignore[reportArgumentType]
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])  # pyright: ignore[reportArgumentType]

INSTALLED_APPS = [
    "toolbox.admin_apps.ToolBoxAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "ninja",
    "axes",
    "toolbox.accounts",
    "toolbox.classroom",
    "toolbox.content",
    "toolbox.learning",
    "toolbox.ai",
    "toolbox.api",
    "toolbox.educators",
    "toolbox.students",
    "toolbox.parents",
    "toolbox.ui",
]

MIDDLEWARE = [
    "toolbox.logging.RequestIdMiddleware",
    "toolbox.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "toolbox.accounts.clerk.ClerkAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "toolbox.middleware.DatabaseUnavailableMiddleware",
    # Last, so that it sees the login view's result and turns a lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "toolbox.urls"
WSGI_APPLICATION = "toolbox.wsgi.application"
ASGI_APPLICATION = "toolbox.asgi.application"

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
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    _database = env.db_url("DATABASE_URL")
    if _database["ENGINE"] in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        _database["ENGINE"] = "django.db.backends.postgresql"
        # Django's psycopg 3 connection pool; a pool replaces persistent connections.
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
            "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
            "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
        }
        _database["CONN_MAX_AGE"] = 0
    DATABASES = {"default": _database}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # WAL and a busy timeout let the web process, the worker and beat share
                # one SQLite file without "database is locked" errors.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and broker -----------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Reads miss and writes are skipped while Redis is down: pages render from the database.
            "BACKEND": "toolbox.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "toolbox",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # A task that a dead worker held comes back after this many seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        # A web request that dispatches a task while Redis is down gives up after one try of
        # about a second (the job stays queued for the sweeper) instead of retrying for seconds.
        "max_retries": 0,
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
    }
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "toolbox"}}
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("in", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Producer and consumer share one folder: what one writes, the other reads.
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        # Exchange bindings; kombu's default is a `control/` folder in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# Workers log through structlog like every other process (see toolbox/logging.py).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Task modules that autodiscovery (which finds only `tasks.py`) does not see.
CELERY_IMPORTS = ["toolbox.learning.schedule_tasks"]

# --- Auth -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a password sign-in while the username or address is locked out.
    "toolbox.accounts.throttling.PasswordLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "toolbox.accounts.clerk.ClerkBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "toolbox.accounts.validators.UppercaseLetterValidator"},
]
if TESTING:
    # Hashing is not what the tests test; a fast hasher takes minutes off the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Login throttling (django-axes): five failures for one username, or from one address, lock
# it out for 15 minutes. The lockout page reads the same whether the account exists or not.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

CLERK_SECRET_KEY = env.str("CLERK_SECRET_KEY", default="")
CLERK_JWT_KEY = env.str("CLERK_JWT_KEY", default="").replace("\\n", "\n")
CLERK_AUTHORIZED_PARTIES: list[str] = env.list("CLERK_AUTHORIZED_PARTIES", default=[])  # pyright: ignore[reportArgumentType]
CLERK_WEBHOOK_SECRET = env.str("CLERK_WEBHOOK_SECRET", default="")

# JSON API rate limits ("count/period", period s, min, hour or day): generous by default,
# so that only a runaway client meets a 429.
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="120/min"),
    "user": env.str("API_THROTTLE_USER", default="1200/min"),
}

# --- AI -------------------------------------------------------------------------------
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
AI_MODEL = env.str("AI_MODEL", default="gpt-4o-mini")
AI_PROVIDER = "openai" if OPENAI_API_KEY else "offline"
AI_REQUEST_TIMEOUT_SECONDS = env.float("AI_REQUEST_TIMEOUT_SECONDS", default=60.0)
AI_DAILY_TOKEN_BUDGET = env.int("AI_DAILY_TOKEN_BUDGET", default=200_000)

# --- Scheduled jobs -------------------------------------------------------------------
# An objective whose published questions in a school number fewer than this gets one AI
# job a night drafting practice items into the review queue.
PRACTICE_BANK_MIN_QUESTIONS = env.int("PRACTICE_BANK_MIN_QUESTIONS", default=8)
# Students per task in the nightly practice-set fan-out.
PRACTICE_CHUNK_SIZE = env.int("PRACTICE_CHUNK_SIZE", default=250)
# Generation-job outputs older than this are cleared (the job rows stay for the record).
AI_JOB_OUTPUT_RETENTION_DAYS = env.int("AI_JOB_OUTPUT_RETENTION_DAYS", default=30)
# A job runs at most this long; a running job with no heartbeat for longer than the stale
# limit lost its worker and is queued again, up to AI_JOB_MAX_ATTEMPTS runs in all.
AI_JOB_SOFT_TIME_LIMIT_SECONDS = env.int("AI_JOB_SOFT_TIME_LIMIT_SECONDS", default=600)
AI_JOB_STALE_AFTER_SECONDS = env.int("AI_JOB_STALE_AFTER_SECONDS", default=900)
AI_JOB_MAX_ATTEMPTS = env.int("AI_JOB_MAX_ATTEMPTS", default=6)
AI_JOB_MAX_RETRIES = env.int("AI_JOB_MAX_RETRIES", default=5)

# --- Email ----------------------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ToolBox <no-reply@toolbox.local>")
SITE_URL = env.str("SITE_URL", default="http://localhost:8009")

# --- i18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# A whole multipart body (files included) above this answers 413 (toolbox.middleware).
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)

# --- Security -------------------------------------------------------------------------
# Sessions are read from the cache and written through to the database: a signed-in page
# skips the session query. Sign-out deletes both copies; a cached copy expires with the
# session; while Redis is down every read falls back to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not TESTING)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not TESTING)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not TESTING)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if TESTING else 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Strict Content-Security-Policy (django-csp 4 format): scripts and styles only from our
# own static files, never inline, so an injected <script> or style attribute does nothing.
# The Django admin runs under the same policy (templates/admin/ replaces its inline bits).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Logging --------------------------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_JSON = env.bool("LOG_JSON", default=not DEBUG)
from toolbox.logging import configure_logging  # noqa: E402  (needs the values above)

LOGGING_CONFIG = None
configure_logging(json_lines=LOG_JSON, level=LOG_LEVEL)
