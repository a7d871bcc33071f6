"""Settings for the translation-comparison workbench.

Everything that differs between the demo, CI and a deployment is read from environment
variables by the small helpers below, which fail loudly on a value they cannot use.
"""

import os
import tempfile
import warnings
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
_Number = TypeVar("_Number", int, float)


def env_str(name: str, default: str | None = None) -> str:
    # An empty variable (``DATABASE_URL=`` in an env file) is an unset one, not a value.
    value = os.environ.get(name) or default
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    return _env_number(name, default, int, "an integer")


def env_float(name: str, default: float) -> float:
    return _env_number(name, default, float, "a number")


def _env_number(name: str, default: _Number, read: Callable[[str], _Number], what: str) -> _Number:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return read(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be {what}, not {raw!r}.") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
PRODUCTION = env_bool("PRODUCTION", False)
DEMO_SECRET_KEY = "insecure-demo-key-never-use-in-production"  # noqa: S105 - refused when PRODUCTION=1
# Keys anyone can read (this file, docker-compose.yml as it once was, Django's template): a
# deployment started with one of them signs sessions and password resets with a public key.
PUBLIC_SECRET_KEYS = frozenset({DEMO_SECRET_KEY, "change-me-before-deploying", "change-me"})
SECRET_KEY_MIN_LENGTH = 50  # what `check --deploy` asks of a key (security.W009)


def production_secret_key(key: str) -> str:
    """The key a production deployment signs with, refused at start when it is not secret."""
    if key in PUBLIC_SECRET_KEYS or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "SECRET_KEY is a published example key: set a secret one "
            '(python3 -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} random characters "
            '(python3 -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    return key


# The demo and the tests run with a throwaway key; a production deployment must set its own.
SECRET_KEY = (
    production_secret_key(env_str("SECRET_KEY"))
    if PRODUCTION
    else env_str("SECRET_KEY", DEMO_SECRET_KEY)
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    # Before django_tasks_db: its db_worker command is replaced by the app's resilient one.
    "editions",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a signed-in user unless marked ``login_not_required``: a new view
    # cannot forget it (tests/test_login_required.py lists the public ones).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "workbench.urls"

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
                "django.template.context_processors.i18n",
                "editions.context_processors.inbox",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "workbench.wsgi.application"
ASGI_APPLICATION = "workbench.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests write at once (annotators, the worker): wait rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # Readers (the live streams) go on while someone writes.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL;"
    # Tests use a file too: an in-memory database shares one cache between threads, whose
    # table locks fail at once ("database table is locked") instead of waiting for the timeout.
    # One file per test process, so that two runs at once (or xdist's workers) never share it.
    test_db = Path(tempfile.gettempdir()) / f"workbench-test-{os.getpid()}.sqlite3"
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(test_db)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "editions:edition_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "editions" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic (demo)
# Without collectstatic (the demo, the tests) STATIC_ROOT does not exist, which WhiteNoise says
# on every start; the finders serve the files anyway.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Word diffs are cached per pair of segment versions (editions.comparison): one comparison of
# a 200-row document holds a few hundred entries, more than the local-memory default of 300.
# With more than one web process (uvicorn --workers, several containers) the cache must be
# shared, or each process renders and invalidates on its own: REDIS_URL selects Django's Redis
# backend. Without it (the demo, the tests) each process keeps its own local-memory cache.
REDIS_URL = os.environ.get("REDIS_URL") or None
if REDIS_URL:
    CACHES: dict[str, dict[str, object]] = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several deployments (or helpers) may share one Redis: keep their keys apart.
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "workbench"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
        }
    }

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Where the site is served: exports made without a request (the command line, the worker for
# a job started without one) build their absolute IRIs from it.
SITE_URL = env_str("SITE_URL", "http://localhost:8000")

# Whole-edition exports one user may have waiting or running at once (the worker is shared).
EXPORT_JOBS_PER_USER = env_int("EXPORT_JOBS_PER_USER", 3)

# Live updates: the Event table keeps the newest EVENTS_KEEP events, none older than
# EVENTS_KEEP_DAYS (pruned as events are written, and by `manage.py prune_events`).
EVENTS_KEEP = env_int("EVENTS_KEEP", 20_000)
EVENTS_KEEP_DAYS = env_int("EVENTS_KEEP_DAYS", 7)

# Uploads: records are a few kilobytes; refuse anything far larger before parsing it.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 8 * 1024 * 1024)  # a whole novel fits
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 512 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 512 * 1024

# Bounded cost: every size a client chooses has a limit, checked before the work starts
# (editions/limits.py answers 400 or 413 naming it). Listed in the README.
SEGMENT_MAX_CHARS = env_int("SEGMENT_MAX_CHARS", 20_000)
ANNOTATION_BODY_MAX_CHARS = env_int("ANNOTATION_BODY_MAX_CHARS", 20_000)
ANNOTATION_MAX_TAGS = env_int("ANNOTATION_MAX_TAGS", 20)
TAG_MAX_CHARS = env_int("TAG_MAX_CHARS", 50)
ANNOTATION_MAX_SPANS = env_int("ANNOTATION_MAX_SPANS", 50)
ANNOTATION_MAX_TARGETS = env_int("ANNOTATION_MAX_TARGETS", 50)
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 20)
JSON_MAX_BYTES = env_int("JSON_MAX_BYTES", 256 * 1024)
TMX_MAX_UNITS = env_int("TMX_MAX_UNITS", 25_000)
# Re-anchoring after an edit: orphans tried per save (the others stay orphans, listed).
REANCHOR_MAX_ANNOTATIONS = env_int("REANCHOR_MAX_ANNOTATIONS", 200)
# The concordance's exact and regex modes read segments in Python: at most this many, for
# at most this long, per query; RE2 compiles a pattern into at most this much memory.
CONCORDANCE_MAX_SCANNED = env_int("CONCORDANCE_MAX_SCANNED", 60_000)
CONCORDANCE_TIME_BUDGET = env_float("CONCORDANCE_TIME_BUDGET", 5.0)
CONCORDANCE_REGEX_MAX_MEMORY = env_int("CONCORDANCE_REGEX_MAX_MEMORY", 8 * 1024 * 1024)

# Export jobs: the worker's sign of life while it runs one, how old it may grow before the job
# counts as lost (a killed worker), and how many runs a job gets before it is failed.
EXPORT_HEARTBEAT_SECONDS = env_float("EXPORT_HEARTBEAT_SECONDS", 10.0)
EXPORT_STALE_SECONDS = env_float("EXPORT_STALE_SECONDS", 60.0)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 2)

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# HTTPS. In production (behind a proxy that terminates TLS and sets X-Forwarded-Proto) every
# switch is on unless turned off; the demo and the tests serve plain HTTP on localhost.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
if env_bool("SECURE_PROXY_SSL_HEADER", PRODUCTION):
    # Trust the proxy's word that the request came over HTTPS. Only safe when the proxy sets
    # (or strips) this header on every request: a client could otherwise claim HTTPS itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from this site's own files, no
# inline code, no eval; values a page computes (colours, column counts) travel in data
# attributes or classes (editions/static/editions/data-styles.js). A nonce (CSP_NONCE in the
# templates) is accepted for the rare element that must be inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Sign-in throttling (django-axes): after SIGNIN_FAILURE_LIMIT wrong passwords for one user
# name from one address, that pair is refused until SIGNIN_LOCKOUT_MINUTES pass or an admin
# releases it (the admin's "Access attempts", or `manage.py axes_reset`).
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGNIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "workbench.signin.locked_out"
AXES_VERBOSE = False
# No row per successful sign-in: that log would grow without bound, and only failures matter here.
AXES_DISABLE_ACCESS_LOG = True
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user name before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
