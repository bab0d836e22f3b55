"""Settings for the Technology Zones Registry, read from the environment.

Every value that differs between a laptop and production comes from an
environment variable (see README "Configuration"); the defaults suit local
development on SQLite.
"""

import os
import tomllib
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

# The one version number (docs/adr/0020): pyproject.toml's, read once at start-up. The API's
# OpenAPI schema and CHANGELOG.md follow it.
with (BASE_DIR / "pyproject.toml").open("rb") as _pyproject:
    REGISTRY_VERSION = tomllib.load(_pyproject)["project"]["version"]


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=0 the registry refuses to start without a "
            "secret key: export SECRET_KEY to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Development only: a fixed key so sessions survive restarts of `make run`.
    SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin with the programme dashboard on its index (programme/admin_site.py).
    "programme.apps.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_countries",
    "axes",
    "core",
    "zones",
    "companies",
    "investments",
    "enterprises",
    "partners",
    "django_tasks",
    "django_tasks_db",
    "notifications",
    # Sign-in for companies' and developers' own people (docs/portal.md, ADR 0708).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "portal",
    "programme.apps.ProgrammeConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An ETag from each GET response's content, and 304 Not Modified when a poller already
    # has it: pollers of lists and reports stop downloading what they hold (docs/api.md).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # English or Urdu from the `django_language` cookie (set by /i18n/setlang/) or
    # Accept-Language; never from the URL, whose paths are a fixed contract (ADR 0705).
    # Django's LocaleMiddleware, except that /api/ and /admin/ always stay in English.
    "core.middleware.PublicSiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before anything reads the body: an oversized one is a 413, not a 400 with a traceback.
    "core.middleware.RequestSizeLimitMiddleware",
    "core.middleware.StaffIdleTimeoutMiddleware",
    # With STAFF_REQUIRE_2FA on, staff without two-factor authentication are sent to set it up.
    "portal.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns lockouts raised during login into responses.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and locks out a user name from an address after too many.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # The portal's sign-in at /accounts/: email and password, or a code sent by email.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Staff sessions end after this many minutes without a request (0: never; public users and
# partner keys are not affected).
STAFF_IDLE_TIMEOUT_MINUTES = int(os.environ.get("STAFF_IDLE_TIMEOUT_MINUTES", "30"))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"
# The admin signs in with `username`, the portal with `login` (an email): both count.
AXES_USERNAME_CALLABLE = "core.client_ip.login_name"

# --- the portal's accounts (django-allauth; docs/portal.md) ----------------------------------
# Nobody signs up: an account comes from an invitation (staff's, a colleague's, or the claim
# from a registration's status link), which also proves the email address.
ACCOUNT_ADAPTER = "portal.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Technology Zones] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# allauth's own per-address and per-account limits, beside django-axes' lockout.
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("PORTAL_LOGIN_FAILED_RATE", "10/m/ip,5/5m/key"),
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Technology Zones Registry"
# With this on, staff must have two-factor authentication set up to use the admin.
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", False)
PORTAL_INVITATION_DAYS = int(os.environ.get("PORTAL_INVITATION_DAYS", "7"))
PORTAL_DOCUMENT_MAX_BYTES = int(os.environ.get("PORTAL_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# Reverse proxies in front of the app, each appending the address it saw to X-Forwarded-For
# (README "Deploying"). 0: the header is ignored, so a client cannot pick its own address.
# core.client_ip applies it for the login lockout, the public form's limit and API throttles.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# allauth's rate limits read the client address by the same rule.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

ROOT_URLCONF = "zones_project.urls"

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

WSGI_APPLICATION = "zones_project.wsgi.application"

# SQLite in the project folder unless DATABASE_URL names another database.
# PostgreSQL keeps connections open (CONN_MAX_AGE) and checks them before reuse.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing on SQLite and hold file locks in tests.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
elif CACHE_URL.startswith("dummy://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": CACHE_URL.removeprefix("locmem://") or "registry",
        }
    }

# Reports are kept in the cache until the next write (core.datacache); at most this long, which
# bounds staleness with the per-process cache or a writer that bypasses signals. 0: no cache.
REPORT_CACHE_SECONDS = int(os.environ.get("REPORT_CACHE_SECONDS", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages (docs/public.md "Languages", ADR 0705) ---
# English is the default whenever a request asks for nothing else; the public site is also
# in Urdu (right to left). The code "en" is British English: zones_project/formats/en keeps
# en-GB's date and number formats, and LANGUAGE_CODE stays "en-gb" for work outside a
# request (emails from workers, commands), which Django resolves to "en" in requests.
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en", "English"), ("ur", "اردو")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["zones_project.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Karachi")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents: never under a public URL, only through the portal's checked download view.
# Production may point PORTAL_DOCUMENTS_STORAGE at django-storages' S3 backend.
PORTAL_DOCUMENTS_ROOT = Path(os.environ.get("PORTAL_DOCUMENTS_ROOT", BASE_DIR / "documents"))
PORTAL_DOCUMENTS_STORAGE = os.environ.get(
    "PORTAL_DOCUMENTS_STORAGE", "django.core.files.storage.FileSystemStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Object storage (django-storages) takes its bucket and keys from its own AWS_* settings.
    "documents": {"BACKEND": PORTAL_DOCUMENTS_STORAGE}
    if PORTAL_DOCUMENTS_STORAGE != "django.core.files.storage.FileSystemStorage"
    else {
        "BACKEND": PORTAL_DOCUMENTS_STORAGE,
        "OPTIONS": {"location": str(PORTAL_DOCUMENTS_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Bounded request size: the public form and the API accept nothing larger.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that accepts the connection and then hangs must not hold a worker for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "registry@zones.example")
# Staff who are told of each new registration.
REGISTRY_STAFF_EMAILS = env_list("REGISTRY_STAFF_EMAILS", ["registry-staff@zones.example"])
# The public site's own address, for links in emails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.schema.RegistryAutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.filter_backends.SearchFilter",
        "api.filter_backends.OrderingFilter",
    ],
    # Partner key first: its challenge ("Api-Key") makes a missing key a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PartnerKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousRateThrottle",
        "api.throttling.PartnerRateThrottle",
        "api.throttling.SignedInUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "120/minute"),
        "partner": os.environ.get("API_PARTNER_RATE", "1200/minute"),
        "user": os.environ.get("API_USER_RATE", "600/minute"),
    },
    # The client address of the anonymous limit: api.throttling uses core.client_ip
    # (TRUSTED_PROXY_COUNT), the same rule as the login lockout and the public form.
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Technology Zones Authority registry API",
    "DESCRIPTION": "Zones, developers, incentives, companies, interest registrations, "
    "pledges and programme reports.",
    "VERSION": REGISTRY_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.postprocess_for_openapi_30",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ZoneStatusEnum": "zones.choices.ZoneStatus",
        "PledgeStatusEnum": "investments.choices.PledgeStatus",
        "RegistrationStatusEnum": "companies.choices.RegistrationStatus",
        "WebhookEventTypeEnum": "notifications.choices.WebhookEventType",
        "DeliveryStatusEnum": "notifications.choices.DeliveryStatus",
    },
}

# Scripts only from our own static files; the API docs page uses the sidecar's
# split view so that it needs no inline script either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Django's admin and the chart bars set a few style attributes inline.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # axes announces itself at every start; lockouts are still logged as warnings.
        "axes": {"level": "WARNING"},
    },
}

# --- Admin ---
# An import either applies whole or not at all; a failing row rolls back the file.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Importing creates and updates rows, so it needs "add"; exporting is reading, so "view" will do
# (the Analyst role exports without being able to change anything).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Imports are recorded row by row by django-simple-history; the admin log keeps one entry a row.
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Export formats: core.export_formats (no live spreadsheet formulae), set on the admin base class.

# --- Registrations (companies.rules) ---
# ISO 3166-1 code of the programme's country: a "domestic" company must be registered here.
PROGRAMME_COUNTRY = os.environ.get("PROGRAMME_COUNTRY", "PK").strip().upper()

# --- Programme ---
# One name across the admin, the public site and the emails.
PRODUCT_NAME = "Technology Zones Authority"
# The programme's own country (ISO 3166 code): targets and headline figures count only its
# zones, so a foreign list imported for comparison cannot inflate them.
PROGRAMME_COUNTRY = os.environ.get("PROGRAMME_COUNTRY", "PK")

# Days a registration may wait for the authority before the review queue shows it in red.
REVIEW_SLA_DAYS = int(os.environ.get("REVIEW_SLA_DAYS", "10"))

# --- Public site ---
# Interest-form submissions allowed per client address, in django-ratelimit's
# "count/period" syntax ("20/h", "5/10m"). Counted in the default cache: with several
# server processes set CACHE_URL to a shared cache so the limit is shared too.
PUBLIC_REGISTRATION_RATE = os.environ.get("PUBLIC_REGISTRATION_RATE", "20/h")
# The client address, through TRUSTED_PROXY_COUNT proxies.
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"
RATELIMIT_VIEW = "companies.views.rate_limited"
# The same company, contact email and zones sent again from the web within this many
# seconds is treated as a repeat of the first registration, not a new one.
# An annual return is due this many days after its fiscal year ends (30 June).
ANNUAL_RETURN_DUE_DAYS = int(os.environ.get("ANNUAL_RETURN_DUE_DAYS", "120"))

PUBLIC_DUPLICATE_WINDOW_SECONDS = int(os.environ.get("PUBLIC_DUPLICATE_WINDOW_SECONDS", "600"))
# The authority's contact details on the contact, privacy and accessibility pages.
AUTHORITY_NAME = os.environ.get("AUTHORITY_NAME", "Technology Zones Authority")
AUTHORITY_EMAIL = os.environ.get("AUTHORITY_EMAIL", "info@zones.example")
AUTHORITY_PHONE = os.environ.get("AUTHORITY_PHONE", "+92 51 0000000")
AUTHORITY_ADDRESS = os.environ.get(
    "AUTHORITY_ADDRESS", "Technology Zones Authority, Constitution Avenue, Islamabad, Pakistan"
)
# Days after a registration is declined or withdrawn before `purge_contact_data` removes its
# contact's personal data (companies.services.contact_data_purge; the privacy notice says so).
CONTACT_RETENTION_DAYS = int(os.environ.get("CONTACT_RETENTION_DAYS", "365"))

# --- Background work (docs/background.md) ---
# Tasks are rows in the application's own database (django-tasks-db), written in the same
# transaction as the change that causes them; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds to wait before each retry of an email; after the last one it is marked failed for
# staff to retry from the admin (about 31 hours in all, so a mail server down overnight is
# ridden out).
NOTIFICATION_RETRY_DELAYS = [
    int(s)
    for s in env_list(
        "NOTIFICATION_RETRY_DELAYS", ["60", "300", "1800", "7200", "21600", "43200", "43200"]
    )
]
# Webhook retries, as the Standard Webhooks guidance suggests: after 5 s, 5 min, 30 min, 2 h,
# 5 h and 10 h, then a last try 24 h after the first attempt; then the endpoint is disabled.
WEBHOOK_RETRY_DELAYS = [
    int(s) for s in env_list("WEBHOOK_RETRY_DELAYS", ["5", "300", "1800", "7200", "18000", "36000"])
]
WEBHOOK_MAX_AGE_SECONDS = int(os.environ.get("WEBHOOK_MAX_AGE_SECONDS", "86400"))
# Admin imports and exports of more rows than these run on a worker, with their progress on a
# page of their own (core.bulk); smaller ones stay in the request, as quick as before.
BULK_IMPORT_ROWS = int(os.environ.get("BULK_IMPORT_ROWS", "2000"))
BULK_EXPORT_ROWS = int(os.environ.get("BULK_EXPORT_ROWS", "5000"))
# Finished jobs, with their files, are deleted after this many days.
BULK_JOB_KEEP_DAYS = int(os.environ.get("BULK_JOB_KEEP_DAYS", "7"))
# A running job that has shown no progress for this long lost its worker and is failed.
BULK_JOB_STALE_MINUTES = int(os.environ.get("BULK_JOB_STALE_MINUTES", "60"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Tests run a receiver on 127.0.0.1; production never delivers to loopback or private
# addresses, and only over https.
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", False)
WEBHOOKS_REQUIRE_HTTPS = env_bool("WEBHOOKS_REQUIRE_HTTPS", not DEBUG)

# --- Scale (docs/scale.md) ---
# PostgreSQL JIT-compiles every plan costing above jit_above_cost. The registry's aggregate
# queries (zone totals, the investment report) cross that line and spent 0.2–2.2 s per
# execution compiling, to save nothing: with JIT off the zone page at L went 950 → 229 ms.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# The pledge indexes carry the summed columns (Index.include) so that PostgreSQL answers
# per-zone sums from the index alone; SQLite builds them without those columns, which is
# all a development database needs, and warns (models.W040) on every check.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Read replica (docs/adr/0707-read-replica-routing.md, core/replica.py) ---
# DATABASE_REPLICA_URL names a streaming replica of DATABASE_URL's database. Set, it becomes
# the `replica` alias, read by the public catalogue's and the API's lists and reports (GET);
# writes, the admin, the portal, past reports (as_of) and a browser's requests for
# REPLICA_STICKY_SECONDS after it wrote stay on the primary. Unset, nothing here changes.
# REPLICA_MAX_LAG_SECONDS (empty: no limit): a replica further behind, or unreachable, is
# passed over (checked at most every REPLICA_CHECK_SECONDS per process).
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "10"))
REPLICA_MAX_LAG_SECONDS = (
    float(os.environ["REPLICA_MAX_LAG_SECONDS"])
    if os.environ.get("REPLICA_MAX_LAG_SECONDS")
    else None
)
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "5"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer costs a request this long, then is passed over.
        DATABASES["replica"].setdefault("OPTIONS", {}).update(
            options="-c jit=off",
            connect_timeout=int(os.environ.get("REPLICA_CONNECT_TIMEOUT", "3")),
        )
    # The test suite reads its one test database through both aliases.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "core.replica.ReplicaMiddleware",
    )
