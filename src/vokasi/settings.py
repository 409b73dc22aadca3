"""Django settings, all taken from environment variables (see .env.example).

Defaults are for a developer's machine: SQLite under var/, DEBUG off unless asked.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from vokasi.core.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
    parse_database_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = env_path("VOKASI_VAR_DIR", BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("VOKASI_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set (a long random string) unless DEBUG=1")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "vokasi.core",
    "vokasi.regions",
    "vokasi.catalog",
    "vokasi.intake",
    "vokasi.selection",
    "vokasi.training",
    "vokasi.certificates",
    "vokasi.notifications",
    "vokasi.inmates",
    "vokasi.placement",
    "vokasi.reports",
    "vokasi.portal",
    "vokasi.backoffice",
    "vokasi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vokasi.core.locale.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vokasi.core.middleware.CentreTimezoneMiddleware",
]

ROOT_URLCONF = "vokasi.urls"
# Messages may carry personal data (a NIK shown on request): keep them server-side, not in
# a cookie that is signed but readable.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
WSGI_APPLICATION = "vokasi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vokasi.core.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n", "vokasi.core.templatetags.vokasi"],
        },
    },
]

_database_url = env_str("DATABASE_URL", "sqlite:///var/vokasi.sqlite3")
_database = parse_database_url("DATABASE_URL", _database_url)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _path = Path(str(_database["NAME"]))
    _path = _path if _path.is_absolute() else BASE_DIR / _path
    # A fresh clone has no var/ yet; SQLite will not create the folder itself.
    _path.parent.mkdir(parents=True, exist_ok=True)
    _database["NAME"] = str(_path)
_database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600, minimum=0)
_database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "backoffice:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing cost dominates a test suite that logs in often; production keeps PBKDF2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The zone used where no training centre is known; each centre carries its own.
TIME_ZONE = env_str("TIME_ZONE", "Asia/Makassar")
FORMAT_MODULE_PATH = ["vokasi.formats"]
# Off: a year or a code would read "2.025"; numbers use |intcomma or |rupiah explicitly.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
# Uploaded personal documents live outside the web root and are served by views that check
# permissions, never by the web server directly.
PRIVATE_MEDIA_ROOT = env_path("PRIVATE_MEDIA_ROOT", VAR_DIR / "private")
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The cache holds the throttles (sign-up, log-in, certificate lookups). It must be shared
# by every process of every app server, or each would keep its own count and multiply the
# limits: the database is the one thing they already share. `locmem` is for a single
# process (tests, a laptop).
CACHES = {
    "default": {
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "vokasi_cache",
        },
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }[env_choice("CACHE_BACKEND", "locmem" if TESTING else "database", ("database", "locmem"))]
}

TASKS = {
    "default": {
        "BACKEND": env_choice(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend",
            ("django_tasks_db.DatabaseBackend", "django.tasks.backends.immediate.ImmediateBackend"),
        )
    }
}

_mail_backend = env_choice(
    "EMAIL_BACKEND",
    "console" if DEBUG or TESTING else "smtp",
    ("smtp", "console", "file", "locmem"),
)
_mail_options: dict[str, object] = {}
if _mail_backend == "smtp":
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587, minimum=1),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 20,
    }
elif _mail_backend == "file":
    _mail_options = {"file_path": str(VAR_DIR / "mail")}
MAILERS = {
    "default": {
        "BACKEND": f"django.core.mail.backends.{'filebased' if _mail_backend == 'file' else _mail_backend}.EmailBackend",
        "OPTIONS": _mail_options,
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "vokasi <noreply@localhost>")

# Behind a reverse proxy that terminates TLS (the deployment the README describes).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not (DEBUG or TESTING))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
}

# Notifications (vokasi.notifications): email goes through MAILERS above; WhatsApp through
# one of these backends. Production talks to a WhatsApp Business API endpoint over HTTP.
WHATSAPP_BACKEND = env_choice(
    "WHATSAPP_BACKEND", "console" if DEBUG or TESTING else "http", ("http", "file", "console")
)
WHATSAPP_API_URL = env_str("WHATSAPP_API_URL", "").strip()
WHATSAPP_API_TOKEN = env_str("WHATSAPP_API_TOKEN", "")
WHATSAPP_TIMEOUT = env_int("WHATSAPP_TIMEOUT", 10, minimum=1)
WHATSAPP_OUTBOX_FILE = VAR_DIR / "whatsapp-outbox.jsonl"
if WHATSAPP_BACKEND == "http" and not WHATSAPP_API_URL.startswith(("https://", "http://")):
    # Found at start-up, not when the first applicant waits for a code that never comes.
    raise ImproperlyConfigured(
        "WHATSAPP_API_URL must be set to the WhatsApp Business API endpoint (https://…) "
        "when WHATSAPP_BACKEND is http; set WHATSAPP_BACKEND=file or console to send nothing"
    )

# Training certificates are signed with this Ed25519 private key (base64 of the 32 raw
# bytes; `manage.py certificates_key` makes one). Empty: with DEBUG or in tests a key is
# generated into VAR_DIR on first use; in production issuing certificates refuses.
CERTIFICATE_SIGNING_KEY = env_str("CERTIFICATE_SIGNING_KEY", "").strip()
