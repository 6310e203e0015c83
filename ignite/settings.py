"""Settings for Ignite Recap, read from the environment.

Development needs no variables at all. Production is `DJANGO_DEBUG=0` plus a secret key and
the allowed hosts; everything else has a strict default once DEBUG is off. The README lists
every variable with a production example.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.core.files.storage import FileSystemStorage
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ignite.inline_scripts import SCRIPT_HASHES
from ignite.proxies import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent


def refuse(problem: str):
    """Stop with one line saying what to fix: a configuration error needs no traceback (for
    manage.py and gunicorn alike, which reads these settings before it starts)."""
    sys.exit(f"Configuration error: {problem}")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    normalised = value.strip().lower()
    if normalised in {"1", "true", "yes", "on"}:
        return True
    if normalised in {"0", "false", "no", "off"}:
        return False
    refuse(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"
GENERATE_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(50))"'


def redis_database(url: str, offset: int) -> str:
    """The same Redis, `offset` databases further on: redis://host:6379/1 → …/3 for 2."""
    parts = urlsplit(url)
    number = parts.path.strip("/")
    database = int(number) if number.isdigit() else 0
    return urlunsplit(parts._replace(path=f"/{database + offset}"))


def weak_secret_key(key: str) -> str | None:
    """What makes a secret key unfit for production (Django's own deployment check's rules)."""
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure-"):
        return "it is a development key"
    if len(key) < 50:
        return f"it has {len(key)} characters, fewer than 50"
    if len(set(key)) < 5:
        return f"it has {len(set(key))} distinct characters, fewer than 5"
    return None


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not DEBUG:
    if not SECRET_KEY:
        refuse(f"DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. Make one: {GENERATE_KEY}")
    if weakness := weak_secret_key(SECRET_KEY):
        refuse(f"DJANGO_SECRET_KEY is too weak ({weakness}). Make one: {GENERATE_KEY}")
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    refuse("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "django_htmx",
    "simple_history",
    "axes",
    "ignite",
    "sessions.apps.SessionsConfig",
    "features",
    "archive",
]

MIDDLEWARE = [
    "ignite.proxies.UntrustedForwardingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # After SecurityMiddleware (its headers go on these answers too), before WhiteNoise (static
    # files get Cross-Origin-Resource-Policy too).
    "ignite.middleware.RequestGuardMiddleware",
    "ignite.sites.SiteHostMiddleware",
    # Before anything that answers on its own (redirects, 404s), so the API's answers carry CORS.
    "corsheaders.middleware.CorsMiddleware",
    "ignite.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions and CSRF (it must see their cookies), outside the page cache: see the module.
    "ignite.compression.PublicPageGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ignite.middleware.ActingUserMiddleware",
    "ignite.middleware.EditorTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ignite.logins.KnownBrowserMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ignite.middleware.SafeRedirectFallbackMiddleware",
    # django-axes wants to be last: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ignite.logins.AccountPauseBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "ignite.urls"
WSGI_APPLICATION = "ignite.wsgi.application"
SITE_ID = 1
# The public domain, for sitemaps; written to the Site row after every migrate.
SITE_DOMAIN = os.environ.get(
    "DJANGO_SITE_DOMAIN", "127.0.0.1:8000" if DEBUG else (ALLOWED_HOSTS or ["localhost"])[0]
)
SITE_SCHEME = os.environ.get("DJANGO_SITE_SCHEME", "http" if DEBUG else "https")
# Addresses per page of a section's sitemap (each language counts); /sitemap.xml indexes them.
SITEMAP_PAGE_SIZE = int(os.environ.get("DJANGO_SITEMAP_PAGE_SIZE", "100"))
SITE_NAME = "Ignite Recap"
# Feed entry ids are tag: URIs (RFC 4151) under a name the site owned on a date; they must never
# change, so keep these when the site moves to another domain.
FEED_TAG_AUTHORITY = os.environ.get("DJANGO_FEED_TAG_AUTHORITY", SITE_DOMAIN.split(":")[0])
FEED_TAG_DATE = os.environ.get("DJANGO_FEED_TAG_DATE", "2025")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ignite.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that hangs must cost a page seconds, not minutes: connecting, and in the
    # site's server each statement (on the server) and each wait on the server (on our side)
    # are bounded (ignite/postgresql). DJANGO_DB_QUERY_TIMEOUT=0 lifts the query bound.
    DATABASES["default"]["ENGINE"] = "ignite.postgresql"
    _options = DATABASES["default"].get("OPTIONS", {})
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "3")),
        **_options,
        # No JIT compilation: it starts for any query whose planned cost is high (the
        # changelog's, with its subqueries, at 10,000 features) and then spends 200 ms compiling
        # to save a few; a site's short queries never gain. Options in DATABASE_URL come after.
        "options": f"-c jit=off {_options.get('options', '')}".strip(),
    }
    # Our bound; the server's statement_timeout is a second shorter.
    DATABASES["default"]["QUERY_TIMEOUT"] = float(os.environ.get("DJANGO_DB_QUERY_TIMEOUT", "6"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and (worker := os.environ.get("PYTEST_XDIST_WORKER", "")).startswith("gw"):
    # The tests run in parallel (pytest-xdist): each worker, and the servers it starts, takes
    # the next Redis database, so that a test emptying the cache never empties another's.
    REDIS_URL = redis_database(REDIS_URL, offset=int(worker[2:]))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "ignite"),
            "TIMEOUT": 60 * 60,
            # An unreachable Redis must cost a page half a second at most, not a TCP timeout.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ignite",
            "TIMEOUT": 60 * 60,
        }
    }
# DJANGO_PAGE_CACHE=0 turns the page cache off (a dummy cache): how scripts/bench_wrk.py
# measures uncached pages under the same server.
if not env_bool("DJANGO_PAGE_CACHE", True):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English is the default and the fallback for missing Japanese content.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ignite.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# The manifest (original → hashed names) is kept beside the collected files, not among them:
# WhiteNoise serves everything in STATIC_ROOT, and the manifest lists every file we have.
STATIC_MANIFEST_ROOT = STATIC_ROOT.with_name(f"{STATIC_ROOT.name}-manifest")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": (
        {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        if DEBUG
        else {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
            "OPTIONS": {"manifest_storage": FileSystemStorage(location=STATIC_MANIFEST_ROOT)},
        }
    ),
}

ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
LOGIN_URL = f"/{ADMIN_URL}login/"

# Security: strict once DEBUG is off; each can be relaxed by its variable (e.g. `make serve`
# on plain-HTTP loopback turns the HTTPS redirect off).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies in front of the site (addresses or networks): only from them are
# X-Forwarded-For (the reader's address, for login lockouts) and X-Forwarded-Proto believed.
if "DJANGO_TRUSTED_PROXY_COUNT" in os.environ:
    refuse(
        "DJANGO_TRUSTED_PROXY_COUNT is replaced by DJANGO_TRUSTED_PROXIES: list the proxies' "
        "addresses, e.g. DJANGO_TRUSTED_PROXIES=127.0.0.1,10.0.0.0/24."
    )
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1" if BEHIND_TLS_PROXY else "")
try:
    parse_networks(TRUSTED_PROXIES)
except ValueError as error:
    refuse(f"DJANGO_TRUSTED_PROXIES: {error}.")
# Load balancers probe over plain HTTP and take a redirect for "healthy".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    # Public pages' inline scripts by their hash (ignite.inline_scripts); the nonce only for
    # pages that ask for it (the API's documentation), so public pages stay the same bytes.
    "script-src": [CSP.SELF, CSP.NONCE, *SCRIPT_HASHES],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Brute-force protection for the admin login (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_AXES_COOLOFF_HOURS", "1"))
# A lockout holds one username from one address, so nobody can lock an editor out from afar.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "ignite.proxies.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ignite.logins.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # counted per account across addresses (ignite.logins)
# One account from every address together: this many failures within the window pause sign-ins
# from browsers that never signed in to it (see ignite/logins.py).
ACCOUNT_FAILURE_LIMIT = int(os.environ.get("DJANGO_ACCOUNT_FAILURE_LIMIT", "20"))
ACCOUNT_WINDOW_MINUTES = int(os.environ.get("DJANGO_ACCOUNT_WINDOW_MINUTES", "10"))
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)

# Mail (Django 6.1 MAILERS): the console in development, SMTP once DEBUG is off.
EMAIL_BACKEND_PATH = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": {}}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
        "username": os.environ.get("DJANGO_EMAIL_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "recap@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = env_list("DJANGO_ADMINS")

# The public page cache keeps pages this long unless content changes first (see
# ignite/page_cache.py for how a change reaches readers).
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
# How long a process trusts the content revision it read last before asking the database again:
# a change saved through another server reaches this one's readers within this bound.
PAGE_CACHE_REVISION_SECONDS = float(os.environ.get("DJANGO_PAGE_CACHE_REVISION_SECONDS", "1"))
# While content changes, one cached page is rendered again at most once in this many seconds
# (by one worker, the others serving the version before): a burst of edits during a keynote
# costs each page one render per interval, not one per edit. Never across a scheduled moment.
PAGE_CACHE_STALE_SECONDS = float(os.environ.get("DJANGO_PAGE_CACHE_STALE_SECONDS", "5"))
# Each process also keeps the pages it served last in memory, up to this many MB (0: none),
# each served only while it is current: a hit then needs no round trip to the shared cache.
PAGE_CACHE_LOCAL_BYTES = int(float(os.environ.get("DJANGO_PAGE_CACHE_LOCAL_MB", "32")) * 2**20)
if not env_bool("DJANGO_PAGE_CACHE", True):
    PAGE_CACHE_LOCAL_BYTES = 0
# Names the deployed code in page cache keys; without it a fingerprint of templates is used.
RELEASE = os.environ.get("DJANGO_RELEASE", "")

# The public API (/api/v1/, see ignite/api/): read-only, anonymous, JSON only.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "ignite.api.http.AlwaysJSON",
    "DEFAULT_THROTTLE_CLASSES": ["ignite.api.http.ClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "ignite.api.pagination.PageNumbers",
    "DEFAULT_SCHEMA_CLASS": "ignite.api.schema.PublicAutoSchema",
    "EXCEPTION_HANDLER": "ignite.api.errors.problem_response",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
}
# Requests per minute from one client address (proxies as DJANGO_TRUSTED_PROXY_COUNT); 0: none.
API_REQUESTS_PER_MINUTE = int(os.environ.get("DJANGO_API_REQUESTS_PER_MINUTE", "120"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Ignite Recap API",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "ReleaseStatusEnum": "features.models.ReleaseStatus",
        "DocLinkKindEnum": "features.models.DocLinkKind",
        "SessionKindEnum": "sessions.models.SessionKind",
        "SessionRoleEnum": "sessions.models.SpeakerRole",
        "ChangeKindEnum": "features.models.ChangeKind",
        "SourceKindEnum": "features.models.SourceKind",
        "DatePrecisionEnum": "ignite.dates.DatePrecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "ignite.api.schema.describe_api",
    ],
}
# Any site may read the API from a browser; nothing is sent with credentials.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-modified-since", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "filters": {"one_line_warning": {"()": "ignite.logs.OneLineWarning"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # django-axes announces itself at INFO on every start; its lockouts are WARNINGs.
        "axes": {"level": "WARNING"},
        # A client sending too many fields or files is the client's problem: one warning line.
        "django.security.TooManyFieldsSent": {"filters": ["one_line_warning"]},
        "django.security.TooManyFilesSent": {"filters": ["one_line_warning"]},
    },
}
