"""Settings for learnfrl, read from the environment with safe defaults for a laptop."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from learnfrl.proxies import proxies_parse

# The admin and forms subscript Django's generic classes (ModelAdmin[Question]) for strict types:
# django-stubs-ext makes them subscriptable at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Set DEBUG=1 for local development, "
            "or set SECRET_KEY to a long random value in production."
        )
    SECRET_KEY = "django-insecure-local-development-only-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "learnfrl",
    "quizzes",
]

MIDDLEWARE = [
    # First: every later layer (logs, limits, django-axes) reads request.client_ip.
    "learnfrl.middleware.ClientIpMiddleware",
    "learnfrl.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, with a session cookie no session key could be taken as none (a NUL was a 500).
    "learnfrl.middleware.SessionMiddleware",
    # A signed-in account's requests, from all its sessions: beyond LEARNER_REQUEST_RATE, 429.
    # Right after the session, so that every request of an account counts, those the next
    # layers refuse too (no CSRF token, a NUL, an address no URL matches, a slash redirect).
    "learnfrl.middleware.AccountRateMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refuses NUL bytes in any field and marks learners' pages private (after the user is known).
    "learnfrl.middleware.RequestSafetyMiddleware",
    # Dates in the learner's own time zone (their study settings'), once the account is let in.
    "quizzes.study.zone.LearnerZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An htmx request sent to log in loads the log-in page whole, not inside the card.
    "learnfrl.middleware.HtmxLoginRedirectMiddleware",
    # The admin shows every answer: an editor's requests to it wait while their quiz runs.
    "quizzes.quiz.waiting.AdminWaitsForQuizMiddleware",
    "learnfrl.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes' backend, marking the log-ins it refuses before any password check.
    "learnfrl.accounts.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The client's address (learnfrl/clientip.py): X-Forwarded-For is read only from these proxies
# (addresses or CIDR ranges, and "unix" for a proxy on a Unix socket); otherwise the connecting
# address is the client. django-axes, django-ratelimit, our limits and the logs all use it.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
proxies_parse(tuple(TRUSTED_PROXIES))  # refused at start-up, not on every request
# Per-client limits and lock-outs count an IPv6 client by its network of this many bits: a /64
# is what one household or server is given, so stepping through it is one client.
IPV6_LIMIT_PREFIX = int(os.environ.get("IPV6_LIMIT_PREFIX", "64"))
if not 32 <= IPV6_LIMIT_PREFIX <= 128:
    raise ImproperlyConfigured(f"IPV6_LIMIT_PREFIX must be 32 to 128; it is {IPV6_LIMIT_PREFIX}.")
AXES_CLIENT_IP_CALLABLE = "learnfrl.clientip.client_limit_ip"
RATELIMIT_IP_META_KEY = "learnfrl.clientip.client_limit_ip"
RATELIMIT_IPV6_MASK = IPV6_LIMIT_PREFIX

# Log-in throttling (django-axes): the 5th failed log-in for one username from one address locks
# that pair out for 15 minutes (the lock-out page says so); a successful log-in clears the count.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "15"))
if AXES_COOLOFF_MINUTES < 1:
    # 0 would make django-axes' lock-out last until an admin lifts it: any stranger's five
    # guesses would keep an owner out for good (README "Security").
    raise ImproperlyConfigured(
        f"AXES_COOLOFF_MINUTES must be 1 or more; it is {AXES_COOLOFF_MINUTES}."
    )
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The username as the account's own counter keys it: every spelling of a name is one pair.
AXES_USERNAME_CALLABLE = "learnfrl.accounts.limits.axes_username"
AXES_LOCKOUT_CALLABLE = "learnfrl.accounts.views.locked_out"
# A successful log-in clears the (name, client) count, but by LoginView, and only for the
# account that holds the name: django-axes' own reset would clear it for a look-alike's too.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

# Sign-ups per client (learnfrl/accounts/limits.py, counted in the default cache): the accounts
# made, and, looser, the attempts that make none (a mistyped confirmation, a name taken), so that
# a learner's slips do not shut their address out, and the form cannot probe names without end.
SIGNUP_RATE = os.environ.get("SIGNUP_RATE", "10/h")
SIGNUP_ATTEMPT_RATE = os.environ.get("SIGNUP_ATTEMPT_RATE", "60/h")
# Abuse limits (learnfrl/accounts/limits.py), counted in the default cache, as "count/period":
# failed log-ins from one client across all usernames (password spraying); failed log-ins for one
# username from anywhere, after which only browsers that have logged in to it before may try
# until the period ends; password-reset requests per client (429), and reset e-mails per target
# address (beyond it none is sent, and the page is the same).
LOGIN_CLIENT_RATE = os.environ.get("LOGIN_CLIENT_RATE", "30/15m")
LOGIN_ACCOUNT_RATE = os.environ.get("LOGIN_ACCOUNT_RATE", "20/15m")
PASSWORD_RESET_CLIENT_RATE = os.environ.get("PASSWORD_RESET_CLIENT_RATE", "10/h")
PASSWORD_RESET_ADDRESS_RATE = os.environ.get("PASSWORD_RESET_ADDRESS_RATE", "5/h")
# Reset e-mails to one address asked for by one client: less than the address's whole budget, so
# one client cannot spend it and leave the owner none.
PASSWORD_RESET_CLIENT_ADDRESS_RATE = os.environ.get("PASSWORD_RESET_CLIENT_ADDRESS_RATE", "2/h")
# Wrong passwords given again to a signed-in account's own forms (e-mail, delete, password
# change): past it the session is logged out, and log-in's own limits take over.
PASSWORD_RECHECK_RATE = os.environ.get("PASSWORD_RECHECK_RATE", "5/15m")
# E-mail verification (learnfrl/accounts/verification.py): how long a link mailed to an address
# works, and how many links one account, and one address from all accounts, may have sent (at
# sign-up, for a changed address, "Send the link again"), counted in the default cache. Resets
# go only to verified addresses.
EMAIL_VERIFY_DAYS = int(os.environ.get("EMAIL_VERIFY_DAYS", "3"))
EMAIL_VERIFY_RATE = os.environ.get("EMAIL_VERIFY_RATE", "5/h")
EMAIL_VERIFY_ADDRESS_RATE = os.environ.get("EMAIL_VERIFY_ADDRESS_RATE", "5/h")
# Links to one address asked for by one client (from any of its accounts): less than the
# address's whole budget, so one client cannot spend it and leave the owner no link that hour.
EMAIL_VERIFY_CLIENT_ADDRESS_RATE = os.environ.get("EMAIL_VERIFY_CLIENT_ADDRESS_RATE", "2/h")
# How long a browser that logged in to an account stays "known" to it (its signed cookie).
KNOWN_DEVICE_DAYS = int(os.environ.get("KNOWN_DEVICE_DAYS", "90"))
# Reports of a wrong or unclear question per learner (django-ratelimit, the same cache).
REPORT_RATE = os.environ.get("REPORT_RATE", "10/h")
# The expensive work a learner can ask for (quizzes/parameters): workload simulations that are not
# already cached (each up to seconds of CPU), and "Optimize my schedule" runs queued, per learner.
WORKLOAD_RATE = os.environ.get("WORKLOAD_RATE", "12/h")
OPTIMIZE_RATE = os.environ.get("OPTIMIZE_RATE", "3/h")
# Processes each web process (and the background worker) runs simulations and the optimizer's
# fits in, at a low CPU priority, off the request threads (quizzes/parameters/offload.py); work
# beyond them waits its turn. 0 runs them on the calling thread (the tests, which count them).
WORKLOAD_PROCESSES = int(os.environ.get("WORKLOAD_PROCESSES", "1"))
# Requests of one web process that may wait for a simulation at once (queued behind others, or
# running); one more is told at once that the simulator is busy, so that the process's other
# threads stay free for other learners' pages. Keep it below the threads of a web process.
WORKLOAD_WAITING = int(os.environ.get("WORKLOAD_WAITING", "2"))
if WORKLOAD_WAITING < 1:
    raise ImproperlyConfigured(f"WORKLOAD_WAITING must be 1 or more; it is {WORKLOAD_WAITING}.")
# The requests that take a while (the workload simulator, "Optimize my schedule", the statistics
# panel, the cards page) one learner may have in flight at once, counted in the shared cache so the
# limit holds across processes and servers; beyond it they get a 429 page ("try again in a few
# seconds"), and one account cannot take every thread the site has. Two, so that a double click
# (the browser drops the first request, the server is still answering it) or a second tab is
# served. A slot is freed when its request ends, or after LEARNER_REQUEST_SECONDS if its process
# died with it.
LEARNER_REQUESTS_IN_FLIGHT = int(os.environ.get("LEARNER_REQUESTS_IN_FLIGHT", "2"))
LEARNER_REQUEST_SECONDS = 120
# Every request of one signed-in account, from all its sessions and tabs, on every server
# (learnfrl/middleware.py): beyond it a 429 at once. A person studying makes a few requests a
# second at most; a script looping over many sessions of one account is held to this. Empty: no
# limit (the tests, which make requests faster than anyone clicks).
LEARNER_REQUEST_RATE = os.environ.get("LEARNER_REQUEST_RATE", "20/2s")

# Content-Security-Policy (django-csp): scripts only from our own static files — no inline
# script, no eval (htmx is configured without either in base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Inline style attributes are allowed (Django's admin uses a few); scripts are not.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Forms and their fields render through the site's own templates (labels, linked errors).
FORM_RENDERER = "learnfrl.forms.SiteFormRenderer"

ROOT_URLCONF = "learnfrl.urls"
WSGI_APPLICATION = "learnfrl.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "learnfrl" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learnfrl.context_processors.navigation",
                "quizzes.web.vocabulary",
            ],
        },
    }
]

# Without DATABASE_URL: a SQLite file tuned for a web server (WAL lets readers run beside the one
# writer; IMMEDIATE transactions take the write lock up front so concurrent writers wait for the
# busy timeout instead of failing with "database is locked" half-way through).
# Connections are kept between requests (CONN_MAX_AGE seconds) on both databases: opening one
# costs more than most of our queries.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
CONN_MAX_AGE = int(os.environ.get("CONN_MAX_AGE", "60"))
SQLITE_TIMEOUT = float(os.environ.get("SQLITE_TIMEOUT", "20"))  # seconds a writer waits its turn
# PostgreSQL plans a statement every time it is sent, unless the connection has prepared it:
# with server-side binding, psycopg prepares a statement the fifth time a connection sends it, and
# the study queue, the figures key and the ORM's hot reads are planned once per connection instead
# of once per request (docs/benchmarks.md). Off (DATABASE_PREPARED_STATEMENTS=0) behind a pooler
# in transaction mode that cannot keep prepared statements (PgBouncer before 1.21, or without
# max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = os.environ.get("DATABASE_PREPARED_STATEMENTS", "1") == "1"
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
    if DATABASE_PREPARED_STATEMENTS and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend with writers queued by a file lock: learnfrl/sqlite/base.py.
            "ENGINE": "learnfrl.sqlite",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_TIMEOUT,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    f"PRAGMA busy_timeout={int(SQLITE_TIMEOUT * 1000)};"
                ),
            },
        }
    }

# The cache: rate-limit counters and cached sessions. CACHE_URL names a shared one
# (redis://:password@host:6379/0, Django's Redis backend) for several processes or servers;
# unset, each process keeps its own in memory, which is right for one process on a laptop.
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "learnfrl"),
            "TIMEOUT": 300,
            # A slow or absent Redis fails requests quickly (503 page) instead of hanging them.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif CACHE_URL in {"", "locmem://"}:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis:// or rediss:// (or be unset for a per-process cache); "
        f"it is {CACHE_URL!r}."
    )
# How many processes serve the site (gunicorn reads WEB_CONCURRENCY too); with more than one, the
# deploy checks warn when limits or sessions would live in a per-process cache.
WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY", "2"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

CSRF_FAILURE_VIEW = "learnfrl.views.csrf_failure"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = env_bool("USE_TZ", True)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "learnfrl <noreply@localhost>")

# Security. In production (DEBUG off) cookies are secure and HSTS is on; SECURE_SSL_REDIRECT can be
# turned off when a TLS-terminating proxy already redirects (then set SECURE_PROXY_SSL_HEADER too).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions live in the database by default; see README "Scaling" for the measured choices.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Quizzes: answers that arrive this long after the deadline are still scored (network latency).
QUIZ_GRACE_SECONDS = float(os.environ.get("QUIZ_GRACE_SECONDS", "2"))

# How long a process trusts its in-memory copy of the question bank before re-checking its version.
BANK_CACHE_SECONDS = float(os.environ.get("BANK_CACHE_SECONDS", "2"))

# Background tasks (django-tasks, the backport of Django 6's tasks) kept in the database; a worker
# runs them: `manage.py db_worker` (`make run` starts one beside the web server).
# TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them inside the request.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "learnfrl.middleware.RequestIdFilter"}},
    "formatters": {
        "with_request_id": {
            "format": "%(levelname)s [%(request_id)s %(client_ip)s] %(name)s: %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "with_request_id",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
