"""Settings, entirely from environment variables.

Development defaults just work (SQLite file, Celery eager, emails written to files).
With DEBUG off the site refuses to start without a real SECRET_KEY and is secure by
default. Every variable is listed in docs/configuration.md.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

COUNCIL_NAME = env("COUNCIL_NAME", default="Northshire Council")
SERVICE_NAME = env("SERVICE_NAME", default="Children's Services Quality Assurance")
#: where the accessibility statement asks people to report problems (none: the QA Lead)
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default="")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "qa_audit.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "qa_audit.apps.QAAuditConfig",
    "accounts",
    "outbox",
    "audits",
    "moderation",
    "actions",
    "feedback",
    "reporting",
    "governance",
]

MIDDLEWARE = [
    "qa_audit.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionExpiryMiddleware",
    "qa_audit.middleware.NoStoreWhenSignedInMiddleware",
    "qa_audit.middleware.RestrictedRolesSeeOnlyTheirPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "qa_audit.logging.RequestLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qa_audit.urls"
WSGI_APPLICATION = "qa_audit.wsgi.application"

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
                "qa_audit.context_processors.service",
                "qa_audit.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 60)
if "postgresql" in DATABASES["default"]["ENGINE"] and not env.bool("DATABASE_JIT", default=False):
    # JIT compilation costs 100 ms to 2 s once a plan's estimated cost passes
    # jit_above_cost, far more than it saves on this application's short queries.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.lockout.PasswordBackend",
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

# Single sign-on with OpenID Connect (docs/configuration.md): on when OIDC_CLIENT_ID is
# set. Microsoft Entra ID needs only OIDC_TENANT_ID, OIDC_CLIENT_ID and
# OIDC_CLIENT_SECRET; another provider names its endpoints. Nobody is created by signing
# in: a person is matched by email to an active account.
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
SSO_PROVIDER_NAME = env("OIDC_PROVIDER_NAME", default="Microsoft")
OIDC_TENANT_ID = env("OIDC_TENANT_ID", default="")
_ENTRA = f"https://login.microsoftonline.com/{OIDC_TENANT_ID}" if OIDC_TENANT_ID else ""
OIDC_OP_AUTHORIZATION_ENDPOINT = env(
    "OIDC_AUTHORIZATION_ENDPOINT", default=f"{_ENTRA}/oauth2/v2.0/authorize" if _ENTRA else ""
)
OIDC_OP_TOKEN_ENDPOINT = env(
    "OIDC_TOKEN_ENDPOINT", default=f"{_ENTRA}/oauth2/v2.0/token" if _ENTRA else ""
)
OIDC_OP_JWKS_ENDPOINT = env(
    "OIDC_JWKS_ENDPOINT", default=f"{_ENTRA}/discovery/v2.0/keys" if _ENTRA else ""
)
OIDC_OP_USER_ENDPOINT = env(
    "OIDC_USERINFO_ENDPOINT",
    default="https://graph.microsoft.com/oidc/userinfo" if _ENTRA else "",
)
OIDC_OP_LOGOUT_ENDPOINT = env(
    "OIDC_LOGOUT_ENDPOINT", default=f"{_ENTRA}/oauth2/v2.0/logout" if _ENTRA else ""
)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/sso/refused/"  # a path: the library does not resolve names
#: "group-object-id=role,group-object-id=role": the roles named here follow the person's
#: Entra groups at each sign-in; roles not named stay as set in the product
OIDC_ROLE_GROUPS = env("OIDC_ROLE_GROUPS", default="")
#: False with SSO on: no password sign-in, password reset or HTTP Basic for the API
PASSWORD_SIGN_IN = env.bool("PASSWORD_SIGN_IN", default=True)
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "accounts.oidc.CouncilOIDCBackend")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Sessions end after 30 minutes without a request.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lock an email and address pair out after repeated failed sign-ins, on the sign-in page
# and through the API's HTTP Basic authentication alike (accounts/lockout.py).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form field that holds the email
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_WHITELIST_CALLABLE = "accounts.lockout.no_password_given"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))

# Imports of past audits: the largest file the upload page accepts, and how many of a
# file's errors are kept and listed (the rest are counted).
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=20)
IMPORT_MAX_ERRORS = env.int("IMPORT_MAX_ERRORS", default=1000)
# Quarterly and annual reports are generated this many days after their period ends
# (the schedule's "days_after" argument, set in the admin, overrides it).
REPORT_DAYS_AFTER_PERIOD = env.int("REPORT_DAYS_AFTER_PERIOD", default=10)
#: the folder the nightly case list sync reads the SSD extract from (docs/case-list.md)
CASE_LIST_FOLDER = env("CASE_LIST_FOLDER", default="")
# A large file takes minutes to check and import: longer than other tasks may take.
IMPORT_TASK_SOFT_TIME_LIMIT = env.int("IMPORT_TASK_SOFT_TIME_LIMIT", default=1800)

# Email: SMTP when EMAIL_HOST is set; otherwise each message is written as a file in
# var/mail/ where a person can open it.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="qa-audits@northshire.example")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_HOST = env("EMAIL_HOST", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))

# The outbox (docs/emails.md): an email claimed longer ago than OUTBOX_CLAIM_TIMEOUT
# seconds was left by a dead worker and is sent again (keep it above EMAIL_TIMEOUT);
# temporary failures wait OUTBOX_RETRY_DELAY seconds, doubling up to
# OUTBOX_RETRY_MAX_DELAY, and fail for good after OUTBOX_MAX_ATTEMPTS attempts.
OUTBOX_CLAIM_TIMEOUT = env.int("OUTBOX_CLAIM_TIMEOUT", default=120)
OUTBOX_RETRY_DELAY = env.int("OUTBOX_RETRY_DELAY", default=60)
OUTBOX_RETRY_MAX_DELAY = env.int("OUTBOX_RETRY_MAX_DELAY", default=3600)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)

# Celery: Redis broker when configured, otherwise tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
# No results are kept, so none expire: otherwise beat adds a "celery.backend_cleanup"
# schedule with nothing to clean beside the service's own in "Periodic tasks".
CELERY_RESULT_EXPIRES = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task taken by a worker that died goes back on the Redis queue after this many
# seconds. It must exceed CELERY_TASK_TIME_LIMIT; the outbox sweep resumes unsent
# emails long before (OUTBOX_CLAIM_TIMEOUT), so this is only a backstop.
CELERY_BROKER_VISIBILITY_TIMEOUT = env.int("CELERY_BROKER_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The queue beat and the web send to and workers read. Deployments (or test runs) that
# share one Redis database keep apart by giving each its own queue.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")

# Every `migrate` installs the default beat schedules and standard audit templates that
# are missing (qa_audit/defaults.py). The test suite turns this off so that each test
# builds the data it needs; tests/qa_audit/test_fresh_install.py runs a real `migrate`
# with it on.
INSTALL_DEFAULTS_ON_MIGRATE = True

# The leaders' figures (the dashboard, the summary API) are kept in the cache for the
# data's version (reporting/data_version.py), at most this long; 0 counts them on every
# request. CACHE_REDIS_URL keeps them in Redis, shared by every web process; without it
# each process keeps its own, in memory.
FIGURES_CACHE_SECONDS = env.int("FIGURES_CACHE_SECONDS", default=3600)
if env("CACHE_REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_REDIS_URL"),
        }
    }

# A family's feedback link: failed look-ups (unknown or altered links) allowed from one
# address in 15 minutes before that address must wait. How long a link works is set by
# the QA Lead in the admin (Feedback settings).
FEEDBACK_LINK_FAILURES_PER_WINDOW = env.int("FEEDBACK_LINK_FAILURES_PER_WINDOW", default=20)

# Administrators may read the text of sent tracker emails in the browser (the demo).
SHOW_SENT_EMAILS = env.bool("SHOW_SENT_EMAILS", default=DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.tokens.ApiTokenAuthentication",
        "accounts.lockout.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "qa_audit.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["common.filters.FilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "common.api.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "common.api.Pagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Children's Services Quality Assurance API",
    "DESCRIPTION": "Audits, moderation, actions and reports. Every endpoint is scoped to "
    "the signed-in user's roles.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.schema.document_errors",
    ],
}

# Content Security Policy: no inline script, everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# Security headers. Production (DEBUG off) is secure by default; behind a proxy that
# terminates TLS, set SECURE_PROXY_SSL_HEADER_ENABLED so Django trusts X-Forwarded-Proto.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("SECURE_PROXY_SSL_HEADER_ENABLED", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "qa_audit.logging.RequestContextFilter"}},
    "formatters": {
        "standard": {
            "format": "%(asctime)s %(levelname)s %(name)s user=%(user_id)s "
            "path=%(request_path)s %(message)s"
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_context"],
            "formatter": "standard",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Request lines are logged by our middleware, without query strings.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # The report documents' libraries log each step of every file they write.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
    },
}
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run inside the web process or a command: a line for every task run (every
    # email sent) would bury what the page or command itself says.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
