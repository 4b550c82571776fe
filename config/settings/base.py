"""Settings shared by every environment.

Every value that differs between a laptop and production comes from the environment,
with a default that works with no service at all (SQLite, local files, database search,
console email, local-memory cache). docs/operations.md lists every variable. The
themed modules imported below hold the applicants' side and the operations; ``from .base
import *`` brings every setting to dev, test and production.
"""

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

# Themed modules: the applicants' side (calls, antivirus, territory, applicant's space) and
# operations (periodic jobs, backups, readiness probe, background tasks, search).
from .applications import *
from .environment import BASE_DIR, SITE_DIR, env
from .operations import *

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "home",
    "territory",
    "stories",
    "news",
    "calls",
    "moderation",
    "laureates",
    "applicants",
    "network",
    "mailing",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "csp",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "home.middleware.HealthCheckMiddleware",
    # The database down: every page and POST a French 503 with Retry-After (home/views.py).
    "home.middleware.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp, home/middleware.py): outside the page cache, so a
    # cached page gets the header afresh and never stores one.
    "home.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Caps applicants' file parts while streaming; must come before CSRF reads POST.
    "calls.uploads.UploadGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Anonymous GETs from the page cache; after auth (signed-in users bypass it), before the
    # middleware below, whose headers are stored with the page.
    "home.page_cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # An incomplete call refused by the model when approved in the workflow: back to its editor.
    "calls.middleware.CallCannotOpenMiddleware",
    # Last, so that it sees the final response of a login attempt.
    "axes.middleware.AxesMiddleware",
]

# Seconds a browser or a client is told to wait (Retry-After) when the database does not answer.
DATABASE_OUTAGE_RETRY_AFTER = env.int("DATABASE_OUTAGE_RETRY_AFTER", default=30)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                # {{ CSP_NONCE }} for an inline <script nonce="…"> (there is none today).
                "csp.context_processors.nonce",
            ],
        },
    },
]

# One host, one container, deliberately: production then accepts SQLite (WAL) and local files,
# on declared volumes when in a container (home/checks.py, the deploy checks; /readyz/ says so).
SINGLE_HOST_INSTALL = env.bool("SINGLE_HOST_INSTALL", default=False)

# --- Database -------------------------------------------------------------------------
# SQLite by default. WAL lets readers work while one writer writes; IMMEDIATE transactions
# take the write lock up front, so two concurrent form posts queue on the busy timeout
# instead of failing with "database is locked" when a read lock is upgraded. No
# ATOMIC_REQUESTS: views open their own short transactions.
# https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
SQLITE_PATH = env("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3"))
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 25,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;PRAGMA busy_timeout=25000;"
    ),
}

if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": SQLITE_OPTIONS,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "home.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out address before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Login throttling (django-axes) ---------------------------------------------------
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
# Three lockouts, each with its own limit of failures within the cool-off
# (home/login_throttle.py): one username from one address (AXES_FAILURE_LIMIT), one address
# whatever the usernames (password spraying), one username whatever the addresses (a
# distributed attack on one account).
# Locking a username alone has a price: anyone who knows it can lock its owner out, from
# anywhere, for the cool-off. So that lockout needs more failures than the pair's, and the
# cool-off stays short (15 minutes): enough to make guessing a password hopeless, short
# enough for the person to get back in. The address limit is the highest: a team working
# from one office shares an address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env.int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", default=20)
LOGIN_FAILURE_LIMIT_PER_USERNAME = env.int("LOGIN_FAILURE_LIMIT_PER_USERNAME", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "home.login_throttle.PerParameterLimitsHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "403_lockout.html"
# Behind a load balancer the client is the N-th address from the right of X-Forwarded-For,
# N being the number of trusted proxies in front of the app (see home/security.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "home.security.client_ip"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Applicants' attachments never live under MEDIA_ROOT: nothing serves this folder.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# S3 through django-storages when a bucket is named: public media under media/, private
# attachments under private/ with signed URLs of at most five minutes.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
# Short timeouts and one retry: an S3 that accepts connections and never answers fails an
# upload in about 6 s (botocore opens three connections of AWS_S3_READ_TIMEOUT seconds for two
# attempts), well inside a gunicorn worker's timeout, and the application is not stored
# (calls/submission.py); tests/calls/test_s3.py checks it against a socket that never answers.
S3_CLIENT_OPTIONS = {
    "connect_timeout": 2,
    "read_timeout": env.float("AWS_S3_READ_TIMEOUT", default=2.0),
    "retries": {"max_attempts": 2, "mode": "standard"},
}
if AWS_STORAGE_BUCKET_NAME:
    from botocore.config import Config as BotoConfig

    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_S3_CLIENT_CONFIG = BotoConfig(**S3_CLIENT_OPTIONS)
    _s3 = "storages.backends.s3.S3Storage"
    STORAGES["default"] = {
        "BACKEND": _s3,
        "OPTIONS": {"location": "media", "file_overwrite": False, "querystring_auth": False},
    }
    STORAGES["private"] = {
        "BACKEND": _s3,
        "OPTIONS": {
            "location": "private",
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
            "custom_domain": None,
        },
    }

# Origins the browser loads public media from when they are not on the site's own domain
# (S3): the Content-Security-Policy's img-src and media-src below.
MEDIA_ORIGINS = []
if AWS_STORAGE_BUCKET_NAME:
    if AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGINS.append(f"https://{AWS_S3_CUSTOM_DOMAIN}")
    elif AWS_S3_ENDPOINT_URL:
        MEDIA_ORIGINS.append(AWS_S3_ENDPOINT_URL.rstrip("/"))
    else:
        MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")
        if AWS_S3_REGION_NAME:
            MEDIA_ORIGINS.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{AWS_S3_REGION_NAME}.amazonaws.com")

# Uploads: keep little in memory; calls enforce their own per-field limits while streaming.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Cache ----------------------------------------------------------------------------
# Two caches: "default" (pages, fragments, lookups: all can be recomputed, evicted freely)
# and "counters" (the rate limits' counters, which must never be evicted by a full cache).
# In production they are two Redis memory budgets: REDIS_URL with maxmemory-policy
# allkeys-lru, REDIS_COUNTERS_URL with noeviction (docs/operations.md). Two database numbers
# of one server are one budget: without REDIS_COUNTERS_URL, the counters share REDIS_URL.
REDIS_URL = env("REDIS_URL", default="")
REDIS_COUNTERS_URL = env("REDIS_COUNTERS_URL", default=REDIS_URL)
if REDIS_URL:
    _REDIS = {
        # Redis down reads as an empty cache (home/cache.py): the site degrades, never fails.
        "BACKEND": "home.cache.FailSafeRedisCache",
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="qc"),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    CACHES = {
        "default": {**_REDIS, "LOCATION": REDIS_URL},
        "counters": {**_REDIS, "LOCATION": REDIS_COUNTERS_URL},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "counters": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "counters"},
    }

# Full-page cache for anonymous visitors (home/page_cache.py): seconds a page is kept, in the
# cache above and in a CDN (s-maxage); 0 turns it off. A new generation starts whenever what
# a page shows changes.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# The query parameters pages read (stories' filters and page, the search's q): the only ones
# in a page's cache key; a request with another parameter is never stored.
PAGE_CACHE_QUERY_PARAMETERS = frozenset(
    env.list("PAGE_CACHE_QUERY_PARAMETERS", default=["q", "page", "region", "kind", "theme", "etape"])
)
PAGE_CACHE_EXCLUDED_PATHS = env.tuple(
    "PAGE_CACHE_EXCLUDED_PATHS", default=("/admin/", "/healthz/", "/readyz/", "/espace-candidat/", "/documents/")
)
# A CDN in front is purged by Wagtail when a page is published or unpublished: an HTTP PURGE
# endpoint (Varnish, nginx) or Cloudflare. https://docs.wagtail.org/en/stable/reference/contrib/frontendcache.html
WAGTAILFRONTENDCACHE = {}
if env("FRONTEND_CACHE_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
    }
if env("CLOUDFLARE_ZONEID", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env("CLOUDFLARE_ZONEID"),
        "BEARER_TOKEN": env("CLOUDFLARE_BEARER_TOKEN", default=""),
    }

# --- Email ----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Quartiers Cafés <contact@quartierscafes.org>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif env("EMAIL_HOST", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = env.int("EMAIL_PORT", default=587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Quartiers Cafés"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "home.CustomImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# No wrapper with an inline style="padding-bottom…" (the Content-Security-Policy refuses inline
# styles): site.css gives embedded iframes their 16:9 ratio.
WAGTAILEMBEDS_RESPONSIVE_HTML = False
# The admin calls no third party (and its Content-Security-Policy allows none): no Gravatar
# (it would send a hash of each team member's email address), no check for a new release.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILFORMS_HELP_TEXT_ALLOW_HTML = False
WAGTAIL_PASSWORD_RESET_ENABLED = env.bool("WAGTAIL_PASSWORD_RESET_ENABLED", default=True)
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}

# --- Content-Security-Policy (django-csp 4) -------------------------------------------
# https://django-csp.readthedocs.io/en/latest/configuration.html
# Public pages: scripts and styles from the site only; an inline <script> would need the
# request's nonce ({{ CSP_NONCE }}) and there is none (JavaScript lives in static files); no
# inline style="" either. The admin gets ADMIN_CSP_DIRECTIVES (home/middleware.py).
# CSP_REPORT_ONLY sends the same policy as Content-Security-Policy-Report-Only: browsers report
# violations (to CSP_REPORT_URI when set) and block nothing, to try a change on live traffic.
CONTENT_SECURITY_POLICY_REPORT_ONLY_MODE = env.bool("CSP_REPORT_ONLY", default=False)
CONTENT_SECURITY_POLICY_REPORT_URI = env("CSP_REPORT_URI", default="")
# Players that embed blocks (wagtail.embeds) may show in an iframe.
CONTENT_SECURITY_POLICY_FRAME_SRC = env.list(
    "CSP_FRAME_SRC",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
        "https://www.dailymotion.com",
        "https://geo.dailymotion.com",
    ],
)
_CSP_REPORT_URI = {"report-uri": [CONTENT_SECURITY_POLICY_REPORT_URI]} if CONTENT_SECURITY_POLICY_REPORT_URI else {}
PUBLIC_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:", *MEDIA_ORIGINS],
    "media-src": [SELF, *MEDIA_ORIGINS],
    "font-src": [SELF],
    "connect-src": [SELF],
    "frame-src": [SELF, *CONTENT_SECURITY_POLICY_FRAME_SRC],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    **_CSP_REPORT_URI,
}
# What Wagtail 8's admin needs: its templates still write inline <script> in some widgets and
# panels (date pickers, InlinePanel, workflow), which a nonce cannot reach since widgets render
# without the request (https://github.com/wagtail/wagtail/issues/1288), so 'unsafe-inline' and
# no nonce (a nonce would switch 'unsafe-inline' off); inline styles; blob: and data: images
# (focal point, upload previews); its own preview iframes. tests/e2e/test_admin_csp.py visits
# the admin's screens and every page type's editor in Chromium and fails on any violation.
ADMIN_CSP_DIRECTIVES = {
    **PUBLIC_CSP_DIRECTIVES,
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *MEDIA_ORIGINS],
    "frame-ancestors": [SELF],
}
ADMIN_CSP_PATH_PREFIX = "/admin/"
if CONTENT_SECURITY_POLICY_REPORT_ONLY_MODE:
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": PUBLIC_CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": PUBLIC_CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# Development superuser (created by `manage.py ensure_dev_superuser` under dev settings only).
DEV_SUPERUSER = None

# Every handler masks the sign-in tokens of paths (home/log_redaction.py). Django's own
# handlers ("django" → console, "django.server" for runserver) are replaced by these.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "home.log_redaction.RedactSecretsFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # Never log request bodies; the 'django.request' logger only gets the path.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "home.views.csrf_failure"
