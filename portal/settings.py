"""Settings for the Homes portal.

Everything that differs between a laptop, CI and production is read from the environment in
the first block below; the rest is fixed. With no environment at all the portal runs on SQLite
and Celery's file-system broker under ``var/`` so a new developer needs no servers.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from kernel.env import env_bool, env_int, env_list, env_str, env_time, env_weekdays

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# ---------------------------------------------------------------------------------------------
# Environment: the only block that reads it.
# ---------------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)
# Required when DEBUG is off. Left empty here so that commands which sign nothing
# (makemigrations --check, a linter loading settings) still run; the web, ASGI and Celery entry
# points refuse to start without it (kernel.env.require_secret_key), and Django itself refuses
# to sign anything with an empty key.
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"
REDIS_URL = env_str("REDIS_URL")
SECURE_COOKIES_AND_TLS = env_bool("SECURE_COOKIES_AND_TLS", default=not DEBUG)
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
EMAIL_URL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# A hung SMTP server must fail the send well inside the outbox's 2-minute claim, or the
# message would be claimed again and sent twice.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Riverside Homes <no-reply@riverside-homes.example>"
)
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.ConsoleSmsBackend")
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN", "")
SMS_SENDER = env_str("SMS_SENDER", "Riverside")
# Where a tenant's Direct Debit instruction is lodged (rent/direct_debit.py).
DIRECT_DEBIT_BACKEND = env_str(
    "DIRECT_DEBIT_BACKEND", "rent.direct_debit.ConsoleDirectDebitBackend"
)
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
# How many proxies we run in front of the web process (each appends to X-Forwarded-For); 0 when
# it is reached directly. Limits count by the client address these proxies report.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# When the live web chat is staffed (UK time); bank holidays and closure days are closed.
CHAT_DAYS = env_weekdays("CHAT_DAYS", [0, 1, 2, 3, 4])
CHAT_OPENS = env_time("CHAT_OPENS", "08:00")
CHAT_CLOSES = env_time("CHAT_CLOSES", "18:00")

# The association. Shown in the header, footer and every emergency notice.
ORGANISATION = {
    "name": env_str("ORG_NAME", "Riverside Homes"),
    "emergency_phone": env_str("ORG_EMERGENCY_PHONE", "0800 000 0999"),
    "office_phone": env_str("ORG_OFFICE_PHONE", "0300 000 0123"),
    "email": env_str("ORG_EMAIL", "help@riverside-homes.example"),
    "address": env_str("ORG_ADDRESS", "1 Quay Street, Riverton, RV1 1AA"),
    "gas_emergency_phone": "0800 111 999",  # the national gas emergency line, fixed by law
}
# ---------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    # First, so `runserver` serves WebSockets (the live web chat) as well as HTTP.
    "daphne",
    "portal.admin_site.PortalAdminConfig",  # django.contrib.admin, without its sidebar
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_forms_gds",
    "import_export",
    "csp",
    "channels",
    # Our apps, from the bottom of the house up (the import contract in pyproject.toml checks
    # it): each may import those above it; service apps reach each other only through the
    # other's handover module. `kernel` is a plain package, not an app; `portal` wires it all.
    "tenancy",
    "accounts",
    "notifications",
    "sla",
    "casework",
    "complaints",
    "repairs",
    "enquiries",
    "asb",
    "safety",
    "rent",
    "lettings",
    "neighbourhoods",
    "engagement",
    "performance",
    "workspace",
    "dataprotection",
    "portal",
]

MIDDLEWARE = [
    # First: everything after it (rate limits, logs) sees the real client address.
    "kernel.client_address.TrustedProxyClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kernel.access.DenyByDefaultMiddleware",
    "accounts.middleware.StaffMustEnrolMfaMiddleware",
    "portal.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.context_processors.organisation",
            ],
            # Dates and times in one style on every page (kernel is not an app, so no {% load %}).
            "builtins": ["kernel.templatetags"],
        },
    },
]

# --- Database connections ---------------------------------------------------------------------
# A connection is kept for a minute between requests. Health checks test a kept connection
# before a request reuses it, so after a PostgreSQL restart the first request on each worker
# reconnects instead of answering with a server error on the dead connection.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.PortalModelBackend",
    "accounts.backends.PortalAuthenticationBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:your_home"

# allauth: email is the login; every address is verified before it can be used; the same
# answer whether or not an account exists (enumeration prevention); rate limits on every door.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
# A sign-in ends when the browser closes: many customers use shared or library computers.
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "accounts.adapters.PortalAccountAdapter"
# --- Access and privacy: the one confirmed email, sign-in limits ----------------------------
# A customer has one email address, the confirmed one: a change waits for the link sent to the
# new address, which then replaces the old (tenancy.services).
ACCOUNT_CHANGE_EMAIL = True
# Wrong passwords are counted per client address and per account *from that address* (the
# adapter makes the "key" the account and the address together): someone guessing from
# elsewhere is slowed down but never locks the person out, staff included. Addresses are the
# real clients' (TRUSTED_PROXY_COUNT above), not the proxy's.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# ------------------------------------------------------------------------------------------------
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = ORGANISATION["name"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static" / "build", BASE_DIR / "static" / "src"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("MEDIA_ROOT", str(VAR_DIR / "media"))},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Uploads are served only through views that check access, never from a public URL.
MEDIA_URL = None
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

EMAIL_BACKEND = EMAIL_URL_BACKEND

# --- File-system broker: every folder under var/ ---------------------------------------------
# Each folder is named: one left out (the control folder, where workers record which queues
# listen to the control and event exchanges) defaults to a path relative to the directory the
# command runs in, and would scatter broker files wherever a command is started.
FILESYSTEM_BROKER_OPTIONS = {
    "data_folder_in": str(VAR_DIR / "celery" / "queue"),
    "data_folder_out": str(VAR_DIR / "celery" / "queue"),
    "processed_folder": str(VAR_DIR / "celery" / "processed"),
    "control_folder": str(VAR_DIR / "celery" / "control"),
    "store_processed": False,
}

# Celery: Redis when REDIS_URL is set, otherwise a broker on the local file system so that
# `make run` needs no servers. The beat schedule lives in portal/celery.py.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = FILESYSTEM_BROKER_OPTIONS
CELERY_TASK_IGNORE_RESULT = True
# A dead broker must not hold up the web request that queued a message: the outbox row is
# already committed and the beat sweep delivers it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# --- Queues: clocks apart from delivery -------------------------------------------------------
# The deadline sweep, and the hand-over that writes its escalation events and queues their
# emails (database writes only, no sending), have a queue and a worker of their own, so that
# sends stuck on a hung mail server (each may wait EMAIL_TIMEOUT) never hold up the marking or
# the escalation of breaches. Everything else
# goes to Celery's default queue. The workers that consume each are in the Procfile and
# docker-compose.yml.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CLOCKS_QUEUE = "clocks"
CELERY_TASK_ROUTES = {
    "sla.tasks.sweep_deadlines": {"queue": CLOCKS_QUEUE},
    "sla.tasks.hand_over_claimed": {"queue": CLOCKS_QUEUE},
}
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves the message for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Live web chat is staffed in these hours (UK time); bank holidays and closure days are closed.
CHAT_SERVICE_HOURS = {
    "days": CHAT_DAYS,
    "opens": CHAT_OPENS,
    "closes": CHAT_CLOSES,
    "timezone": "Europe/London",
}

# Live web chat: messages reach the other side through a channel layer; Redis in production,
# in memory on the embedded default (one process, which is what `make run` starts for web).
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Cache and sessions: Redis may be away ----------------------------------------------------
# With Redis stopped, customers must still sign in, browse and submit: the cache holds no record
# (portal/cache.py says what each cache does without Redis). A short connect timeout, so that an
# unreachable Redis costs a request half a second, once, not a hang.
if REDIS_URL:
    _REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Rate limits keep counting in each process while Redis is away.
            "OPTIONS": {**_REDIS_CACHE_OPTIONS, "FALLBACK": "local"},
        },
        "sessions": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # No per-process stand-in: it would keep a signed-out session alive in the others.
            "OPTIONS": _REDIS_CACHE_OPTIONS,
        },
    }
    # Every signed-in request reads its session: from Redis, with the database as the store of
    # record (and the only store while Redis is away). Only with a cache all web processes
    # share: a per-process cache would keep a signed-out session alive in the other processes.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Security. Production (DEBUG off) passes `check --deploy --fail-level WARNING` cleanly.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = SECURE_COOKIES_AND_TLS
CSRF_COOKIE_SECURE = SECURE_COOKIES_AND_TLS
SECURE_SSL_REDIRECT = SECURE_COOKIES_AND_TLS
SECURE_HSTS_SECONDS = 31536000 if SECURE_COOKIES_AND_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_COOKIES_AND_TLS
SECURE_HSTS_PRELOAD = SECURE_COOKIES_AND_TLS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer probes the health check over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Every staff read of a sensitive case is written here as well as to the database.
        "portal.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
