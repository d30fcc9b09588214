"""Settings shared by every environment. What differs in production comes from the environment."""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# The development key is public (it is in this file): it signs sessions and password-reset
# links, so a production that started with it would let anyone forge them. Refuse to start.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-change-me"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (not SECRET_KEY or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: with DEBUG=false the application needs its own secret key "
        "(e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))'))."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "djmoney",
    "django_fsm",
    "import_export",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "common",
    "common.notifications",
    "housing",
    "tenancies",
    "fund",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Puts the verified one-time-password device (or None) on request.user.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "common.middleware.SessionTimeoutMiddleware",
    # Fund administrators pass a TOTP code before any page but the login ones.
    "common.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "common.middleware.ProgrammeMiddleware",
    # Axes last, as its documentation asks, so it sees the final authentication result.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# BENCHMARK=true adds two bare pages (the page shell with 1 and 25 plain rows) that
# benchmarks/pages.py measures the real pages against; never set it in production.
BENCHMARK = env.bool("BENCHMARK", default=False)
ROOT_URLCONF = "config.urls_benchmark" if BENCHMARK else "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "common.context_processors.navigation",
                "common.notifications.context_processors.unread",
            ],
        },
    },
]

# No DATABASE_URL: an SQLite file in the project folder, so a newcomer needs no server.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Each web or task worker keeps its connection for a minute instead of opening one per
# request (on PostgreSQL a new connection costs a fork and an authentication: the bare page
# benchmark's req/s). A connection found broken (the server restarted) is replaced at the
# start of the next request rather than failing it.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite takes one writer at a time. A deferred transaction that reads first and writes
    # later cannot wait for the lock (it would deadlock) and fails at once with "database is
    # locked": start every transaction as a writer instead, wait up to 20 s for the lock, and
    # let readers go on beside the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Our subclass: Django 5.2's own message lost its Italian translation.
    {"NAME": "common.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: tells the apps a password changed (calendar-feed secrets are revoked).
    {"NAME": "common.passwords.PasswordChangeAnnouncer"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Two-factor authentication (TOTP, django-otp): required of every fund administrator, who moves
# money. The issuer is the name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Fondo di garanzia casa")
# A password-reset link works once and for one hour.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)

# Sessions end after SESSION_IDLE_TIMEOUT seconds without a request and, however active,
# SESSION_ABSOLUTE_TIMEOUT seconds after logging in (common.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Italian first, English second.
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded documents hold personal data: they live outside the web root and are served only
# through views that check who may see them.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "documents")

# Money: one currency, one precision, for the whole project.
CURRENCIES = ("EUR",)
DEFAULT_CURRENCY = "EUR"
CURRENCY_DECIMAL_PLACES = 2
# Euros above which a contribution is posted only once a second fund administrator approves
# it (four eyes); between 1,000 and 1,000,000 (fund.models.contribution_proposals).
FUND_CONTRIBUTION_FOUR_EYES_ABOVE = env.str("FUND_CONTRIBUTION_FOUR_EYES_ABOVE", default="50000")

# Background work (imports, monthly runs, PDF batches) goes to a database-backed queue, so the
# embedded default needs no extra server; `manage.py db_worker` processes it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Bank statements longer than this (lines, or bytes) are read in the task queue with a
# progress bar; shorter ones while the page waits (tenancies.services.bank_jobs).
BANK_STATEMENT_INLINE_LINES = env.int("BANK_STATEMENT_INLINE_LINES", default=2000)
BANK_STATEMENT_INLINE_BYTES = env.int("BANK_STATEMENT_INLINE_BYTES", default=256 * 1024)

# Lock an account (per username and address) after repeated failures. The address is the
# client's, not the reverse proxy's: otherwise one person failing on purpose would lock the
# account for everyone (common.security.client_ip, TRUSTED_PROXY_COUNT below).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "common.security.client_ip"
# How many reverse proxies we own append the client's address to X-Forwarded-For. 0 (the
# default): the header is ignored, a client can write anything in it; REMOTE_ADDR is used.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
FORWARDED_FOR_HEADER = env("FORWARDED_FOR_HEADER", default="HTTP_X_FORWARDED_FOR")
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The address the public reaches the application at: absolute links printed on paper (the
# QR code of a guarantee certificate) and in mails. Set it in production.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Counters that protect public pages (the certificate check's rate limit). Local memory by
# default; with several app processes use a shared cache, e.g. CACHE_URL=dbcache://cache_table
# (after `manage.py createcachetable`) so the limit holds across processes.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# How many certificate checks one client address may make per minute (/verifica/).
CERTIFICATE_VERIFY_RATE = env.int("CERTIFICATE_VERIFY_RATE", default=30)

# The REST API for landlords and estate agencies (fund.api): keys of our own (hashed, per
# landlord user and programme), no session login, JSON only, paginated, throttled per key and
# per client address (the counters live in CACHES, shared across processes as above).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["fund.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["fund.api.permissions.IsProgrammeLandlord"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "fund.api.pagination.ApiPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="60/minute"),
        "user": env("API_USER_RATE", default="600/minute"),
        "verify": f"{CERTIFICATE_VERIFY_RATE}/minute",
    },
    "EXCEPTION_HANDLER": "fund.api.views.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fondo di garanzia casa — API",
    "DESCRIPTION": (
        "Guarantees, leases and claims of the landlord who owns the key, and the public check "
        "of a guarantee certificate. Send the key as `Authorization: Bearer <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimDocumentKindEnum": "fund.models.claim_documents.ClaimDocument.Kind",
        "GuaranteeStatusEnum": "fund.models.guarantees.Guarantee.Status",
        "ClaimStatusEnum": "fund.models.claims.Claim.Status",
        "LeaseStatusEnum": "tenancies.models.leases.Lease.Status",
    },
    # The docs page's script and styles come from our own static files (drf-spectacular-
    # sidecar): the Content-Security-Policy allows no other origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Outgoing mail (notifications, password resets): the console in development; in production
# EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the SMTP server's settings.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="fondo@localhost")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)

# Production hardening: on whenever DEBUG is off, each overridable from the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from our own origin, no inline script, no inline style
# (charts' styles are in static/css/charts.css), no plugins, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
