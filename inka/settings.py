"""INKA settings: the only settings module. Every knob is an INKA_* environment variable.

Defaults are safe: DEBUG is off, and without INKA_DEBUG=true a real secret key is required.
`inka demo` sets its own variables (production-like, plain HTTP on 127.0.0.1); production sets
the variables listed in docs/deployment.md.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "inka-dev-insecure-key-only-for-debug"  # noqa: S105  (refused unless INKA_DEBUG=true)


def env_str(name: str, default: str = "") -> str:
    """A string variable; NAME_FILE (a path) wins over NAME, for container secrets."""
    path = os.getenv(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.getenv(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    if value.lower() not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', got {value!r}")
    return value.lower() == "true"


def env_int(name: str, default: int) -> int:
    value = os.getenv(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("INKA_DEBUG", default=False)
SECRET_KEY = env_str("INKA_SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("The development secret key must not be used with INKA_DEBUG=false.")
# Without a key, commands that sign nothing (makemigrations, migrate) still run; Django refuses to
# sign sessions with an empty key, and `inka serve` will not start without one.

# Behind TLS (production) cookies are Secure and __Host- prefixed and HTTP redirects to HTTPS.
HTTPS = env_bool("INKA_HTTPS", default=not DEBUG)
DATA_DIR = Path(env_str("INKA_DATA_DIR", str(BASE_DIR / "var")))
ALLOWED_HOSTS = env_list("INKA_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("INKA_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "inka.core",
    "inka.programme",
    "inka.accounts",
    "inka.network",
    "inka.cases",
    "inka.employment",
    "inka.esf",
    "inka.community",
    "inka.steering",
    "inka.monitoring",
    "inka.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "inka.accounts.middleware.SessionLimitMiddleware",
    # After the session limit: an expired session is logged out before the second factor is asked.
    "inka.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "inka.core.middleware.SecurityHeadersMiddleware",
    "inka.core.scoping.SiteScopeMiddleware",
    "inka.core.middleware.DeniedAttemptLogMiddleware",
    # Axes last, as its documentation asks: it turns lockouts into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inka.urls"
WSGI_APPLICATION = "inka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "inka" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inka.core.context_processors.shell",
            ],
        },
    },
]


def database_from_url(url: str) -> dict[str, object]:
    """postgres://user:password@host:port/name or sqlite:///absolute/path."""
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
        }
    if parts.scheme == "sqlite":
        return sqlite_database(Path(unquote(parts.path)))
    raise ImproperlyConfigured(f"INKA_DATABASE_URL: unsupported scheme {parts.scheme!r}")


def sqlite_database(path: Path) -> dict[str, object]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # WAL lets readers work while one request writes; IMMEDIATE avoids lock upgrades failing.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        },
    }


if env_str("INKA_DATABASE_URL"):
    DATABASE = database_from_url(env_str("INKA_DATABASE_URL"))
elif env_str("INKA_DB_ENGINE", "sqlite") == "postgresql":
    DATABASE = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": env_str("INKA_DB_NAME", "inka"),
        "USER": env_str("INKA_DB_USER", "inka"),
        "PASSWORD": env_str("INKA_DB_PASSWORD"),
        "HOST": env_str("INKA_DB_HOST", "127.0.0.1"),
        "PORT": env_str("INKA_DB_PORT", "5432"),
    }
else:
    DATABASE = sqlite_database(Path(env_str("INKA_DB_NAME", str(DATA_DIR / "inka.sqlite3"))))
if DATABASE["ENGINE"] == "django.db.backends.postgresql":
    DATABASE["CONN_MAX_AGE"] = env_int("INKA_DB_CONN_MAX_AGE", 60)
    DATABASE["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": DATABASE}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Two-factor login (TOTP, django-otp): every signed-in user passes it before any page with data.
# Only the local demo switches it off; `check --deploy` refuses that (inka/accounts/checks.py).
TWO_FACTOR = env_bool("INKA_TWO_FACTOR", default=True)
OTP_TOTP_ISSUER = "INKA"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: idle timeout through a sliding cookie, absolute limit in SessionLimitMiddleware.
SESSION_IDLE_SECONDS = env_int("INKA_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("INKA_SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Login lockout (django-axes): per account and address, the same answer for unknown accounts.
AXES_FAILURE_LIMIT = env_int("INKA_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form field, not the model's USERNAME_FIELD
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-inka-session"
    CSRF_COOKIE_NAME = "__Host-inka-csrf"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_NAME = "__Host-inka-language"
else:
    SESSION_COOKIE_NAME = "inka-session"
    CSRF_COOKIE_NAME = "inka-csrf"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "inka" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "inka" / "static"]
# Production serves hashed files collected by `inka serve`; tests and the demo serve the sources.
STATIC_MANIFEST = env_bool("INKA_STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
STATIC_ROOT = DATA_DIR / "static" if STATIC_MANIFEST else None
MEDIA_ROOT = DATA_DIR / "media"
# Documents on cases: outside the web root, read only by the authorised download view.
DOCUMENTS_DIR = Path(env_str("INKA_DOCUMENTS_DIR", str(DATA_DIR / "documents")))
FILE_UPLOAD_PERMISSIONS = 0o600

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("INKA_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("INKA_EMAIL_HOST")
EMAIL_PORT = env_int("INKA_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("INKA_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("INKA_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("INKA_EMAIL_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("INKA_EMAIL_FROM", "INKA <inka@localhost>")

# The base URL written into e-mails (invitations) where no request is at hand.
BASE_URL = env_str("INKA_BASE_URL", "http://127.0.0.1:8000")

# Aggregates shown outside a site's own team hide counts below this (SECURITY.md); never below 3.
SUPPRESSION_K = env_int("INKA_SUPPRESSION_K", 3)
# How old the programme-wide figures read outside the teams may be before a page view counts them
# anew; `inka figures refresh` every few minutes keeps them younger (docs/performance.md).
FIGURES_MAX_AGE_MINUTES = env_int("INKA_FIGURES_MAX_AGE_MINUTES", 15)
if SUPPRESSION_K < 3:
    raise ImproperlyConfigured(f"INKA_SUPPRESSION_K must be at least 3, got {SUPPRESSION_K}.")

# Data protection (docs/security.md). The retention run anonymises what is due; the access log is
# kept for ACCESS_LOG_RETENTION_DAYS and then deleted by the same run.
ACCESS_LOG_RETENTION_DAYS = env_int("INKA_ACCESS_LOG_RETENTION_DAYS", 2 * 365)
# Outside the database, so that restoring an older backup cannot undo an anonymisation.
DELETION_JOURNAL = Path(env_str("INKA_DELETION_JOURNAL", str(DATA_DIR / "deletion-journal.jsonl")))
# On PostgreSQL the application connects as this role: it may read and append the logs, never change
# them (granted after every migrate, run by the owner role). Empty = grants are managed by hand.
DB_APP_ROLE = env_str("INKA_DB_APP_ROLE")
BACKUP_DIR = Path(env_str("INKA_BACKUP_DIR", str(DATA_DIR / "backups")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A failed request leaves its route and code location in the log, never its form data or the
    # exception's message (which may quote a value someone typed): inka/core/logsafe.py.
    "filters": {"withhold_request_data": {"()": "inka.core.logsafe.WithholdRequestData"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["withhold_request_data"]}},
    "root": {"handlers": ["console"], "level": env_str("INKA_LOG_LEVEL", "WARNING")},
}
