"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the
environment (see the table in README.md); with nothing set, Weizhi runs on
SQLite with a file-system Celery broker so a newcomer needs no server.
"""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("WEIZHI_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    """Comma-separated environment lists, so hosts and origins need no code change."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def development_key(purpose: str) -> str:
    """A fixed Fernet-shaped key for development and tests only; production never calls it."""
    digest = hashlib.sha256(f"weizhi-dev|{purpose}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "content_types.structure",
    "content_types.roles",
    "content_types.accounts",
    "content_types.notices",
    "content_types.disclosures",
    "content_types.expenditures",
    "content_types.units",
    "content_types.firms",
    "content_types.committees",
    "content_types.meetings",
    "content_types.governance_tasks",
    "content_types.imports",
    "content_types.cases",
    "content_types.reports",
    "content_types.audits",
    "content_types.scorecards",
    "content_types.configured_disclosures",
    "workflows.voting",
    # 培育优质物业: satisfaction surveys, evaluations and firm scores.
    "content_types.evaluations",
    "workflows.surveys",
    "site_config",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "workflows.chains",
    "workflows.channels",
    "modelcluster",
    "taggit",
    "django_filters",
    "graphene_django",
    "api",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A screen's token GET of /graphql/ goes straight to the view from here (api/screen_polls.py).
    "api.screen_polls.ScreenPollMiddleware",
    "cms.content_security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "content_types.accounts.session_timeout.SessionTimeoutMiddleware",
    "content_types.accounts.middleware.SecondFactorMiddleware",
    "content_types.accounts.middleware.PasswordChangeRequiredMiddleware",
    "content_types.accounts.access_audit.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp, cms/content_security.py): nothing from another host, no
# plugins, no framing by other sites, and inline scripts and styles only with the nonce of the
# response (templates write ``nonce="{{ request.csp_nonce }}"``).
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Under /admin/ these replace the directives above: Wagtail writes inline scripts and styles
# without a nonce, and shows a page's preview in a frame of the admin itself.
WEIZHI_ADMIN_CSP_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "frame-ancestors": [SELF],
}

# Sign-in failures (等保 身份鉴别): after AXES_FAILURE_LIMIT wrong passwords the account, and
# separately the client address, are locked for AXES_COOLOFF_TIME. Attempts are kept in the
# database every app server shares, so they double as the record of failures and lockouts
# the street office reads under 设置 › 登录锁定 (content_types/accounts/lockouts.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("WEIZHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("WEIZHI_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "content_types.accounts.lockouts.lockout_response"
# The load balancer passes the client's address as REMOTE_ADDR (see README): a forwarded
# header could be forged to dodge the lockout.
AXES_CLIENT_IP_CALLABLE = "content_types.accounts.audit.client_address"
AXES_VERBOSE = False

# Two factors (等保 三级): a TOTP code after the password for every account that has enrolled,
# and enrolment required of superusers and of the roles the site configuration names
# (security.two_factor_roles); these until it names any (content_types/accounts/two_factor.py).
WEIZHI_TWO_FACTOR_ENFORCED = env_bool("WEIZHI_TWO_FACTOR_ENFORCED", True)
WEIZHI_TWO_FACTOR_SUPERUSERS = True
WEIZHI_TWO_FACTOR_ROLES = ["street_office", "community_office"]
OTP_TOTP_ISSUER = "微治"

# A signed-in session ends after this long unused, and after this long in any case.
WEIZHI_SESSION_IDLE_MINUTES = int(os.environ.get("WEIZHI_SESSION_IDLE_MINUTES", "30"))
WEIZHI_SESSION_MAX_HOURS = int(os.environ.get("WEIZHI_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = WEIZHI_SESSION_MAX_HOURS * 3600

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"
ASGI_APPLICATION = "cms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'weizhi.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# SQLite written by several processes at once (server workers, the Celery worker): WAL lets
# readers run beside the one writer, and IMMEDIATE takes the write lock when a transaction
# begins, since a transaction that has read cannot wait for it and fails at once with
# "database is locked". Writers queue for the lock this many seconds, under gunicorn's 30 s.
WEIZHI_SQLITE_BUSY_TIMEOUT = 20
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": WEIZHI_SQLITE_BUSY_TIMEOUT,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords (等保 身份鉴别): at least 10 characters of three of the four classes, without the
# username, checked on every change; a first password set by the site configuration is
# changed at the first sign-in, and with WEIZHI_PASSWORD_MAX_AGE_DAYS an old one too.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "content_types.accounts.validators.LengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "content_types.accounts.validators.CharacterClassesValidator"},
    {"NAME": "content_types.accounts.validators.UsernameNotInPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "content_types.accounts.validators.NewPasswordValidator"},
]
WEIZHI_PASSWORD_CHANGE_AT_FIRST_SIGN_IN = env_bool("WEIZHI_PASSWORD_CHANGE_AT_FIRST_SIGN_IN", True)
WEIZHI_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("WEIZHI_PASSWORD_MAX_AGE_DAYS", "0"))

# The audit log (等保 安全审计) is kept this many days, then purged by the worker; the law
# (网络安全法 第二十一条) requires at least 180, which a system check enforces.
WEIZHI_AUDIT_RETENTION_DAYS = int(os.environ.get("WEIZHI_AUDIT_RETENTION_DAYS", "180"))

# Configuration drafts planned in the admin and never applied are deleted after this many days.
WEIZHI_CONFIG_DRAFT_DAYS = int(os.environ.get("WEIZHI_CONFIG_DRAFT_DAYS", "30"))

# Owners' personal information (个人信息保护法): names and phones are encrypted with these Fernet
# keys, newest first (older ones only decrypt, until rotate_personal_data_key re-encrypts);
# phones are looked up by an HMAC under the digest key. Losing the keys is losing the data.
WEIZHI_FIELD_ENCRYPTION_KEYS = env_list("WEIZHI_FIELD_ENCRYPTION_KEYS")
WEIZHI_PERSONAL_DATA_DIGEST_KEY = os.environ.get("WEIZHI_PERSONAL_DATA_DIGEST_KEY", "")
# Full phone numbers, in the scope a role is held in; everyone else sees 138****1234.
WEIZHI_FULL_PHONE_ROLES = ["owners_committee", "community_office", "street_office"]
# A final vote's roll and ballots lose their link to persons this many years after the result.
WEIZHI_VOTE_PERSONAL_DATA_YEARS = int(os.environ.get("WEIZHI_VOTE_PERSONAL_DATA_YEARS", "3"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Our Chinese for what Wagtail's catalogue leaves in English (compiled by `make messages`).
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# One time zone: the account page then offers no list of hundreds of English zone names.
WAGTAIL_USER_TIME_ZONES = ["Asia/Shanghai"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail caches each image rendition it makes or looks up in ``renditions`` when there is one,
# else in ``default``: a cache of its own, so that the renditions of many pictures never push
# the site's root paths and the rest of ``default`` out of a bounded cache.
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "weizhi",
    },
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "weizhi-renditions",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
if os.environ.get("CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "core.redis_cache.SharedClientRedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }
    CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": "renditions"}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "微治 <noreply@weizhi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
GRAPHENE = {"SCHEMA": "api.schema.schema"}
# Limits of the public GraphQL endpoint (api/limits.py, api/pagination.py).
GRAPHQL_MAX_DEPTH = 10
GRAPHQL_MAX_PAGE_SIZE = 100
GRAPHQL_MAX_BODY_BYTES = 64 * 1024
# A query's cost before it runs: every field 1, a list's fields once per item its page may hold.
GRAPHQL_MAX_COST = 15_000
# The largest answer sent, in bytes of JSON; a larger one is replaced by an error.
GRAPHQL_MAX_RESPONSE_BYTES = 4 * 1024 * 1024
GRAPHQL_INTROSPECTION = False
# How long screens and proxies may reuse a persisted query's answer (Cache-Control max-age).
WEIZHI_API_CACHE_SECONDS = 10
# Without CACHE_URL, how long each worker keeps what a poll needs (a screen's token, a scope's
# version: api/shared_cache.py) in its own memory; well under the max-age above. 0 turns it off.
WEIZHI_API_MEMO_SECONDS = 1.0
# How long the shared cache keeps a scope's content version and the pages a scope names when no
# change is signalled (api/shared_cache.py): the most a change no signal tells of may lag.
# Without CACHE_URL the cache is per process and keeps them no longer than the memo above.
WEIZHI_API_SHARED_SECONDS = 600.0
# How long a rendered answer is kept under its ETag (it never goes stale, only unused).
WEIZHI_API_ANSWER_SECONDS = 600
# Excel imports with more rows than this run in the worker, with a progress bar.
WEIZHI_IMPORT_INLINE_ROWS = 1000
# ...and so do those that unpack to more than this: the request reads no larger workbook.
WEIZHI_IMPORT_INLINE_BYTES = 1024 * 1024
# An uploaded workbook is refused whole, before anything is unpacked, when its zip parts unpack to
# more than this in all (50,000 template rows are about 16 MB)...
WEIZHI_IMPORT_MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024
# ...when a part over 1 MB unpacks to more than this many times its packed size (Excel's: ~10)...
WEIZHI_IMPORT_MAX_COMPRESSION_RATIO = 100
# ...or when it holds more zip entries than this (a template workbook has 9).
WEIZHI_IMPORT_MAX_ZIP_ENTRIES = 1000
# An import with more data rows than this is refused whole, counted while reading.
WEIZHI_IMPORT_MAX_ROWS = 50_000
# Limits of a site configuration file with its includes (site_config/yaml_source.py), checked
# before any value is built: bytes of all files together (a district's file, 2,000 compounds
# and 20,000 users, is 2.4 MB: benchmarks/site_config_apply.py), nodes after alias expansion
# (keys, values, list items; that file has 284,000), mappings and lists nested in one
# another, and files read (the main one and its includes). Reading a file at the limits
# takes about ten seconds.
WEIZHI_SITE_CONFIG_MAX_BYTES = 8 * 1024 * 1024
WEIZHI_SITE_CONFIG_MAX_NODES = 1_000_000
WEIZHI_SITE_CONFIG_MAX_DEPTH = 50
WEIZHI_SITE_CONFIG_MAX_FILES = 20

WAGTAIL_SITE_NAME = "微治"
# No avatars from Gravatar: many government networks reach no outside host.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "jpg", "odt", "pdf", "png", "txt", "xlsx", "zip"]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.chains.finish.publish_approved_item"
# Reviewers are reminded of items waiting longer than this many days.
WEIZHI_REVIEW_REMINDER_DAYS = int(os.environ.get("WEIZHI_REVIEW_REMINDER_DAYS", "3"))
# Days a case (诉求与事件) may wait at each level before the worker escalates it, where the
# site configuration's ``case_deadlines`` does not say.
WEIZHI_CASE_DEADLINE_DAYS = {"compound": 3, "community": 5, "street": 10}
# Annual tasks: their owners are reminded this many days before the end of a deadline month,
# and again when it has passed; evidence uploads are limited in number and size per update.
WEIZHI_ANNUAL_TASK_REMINDER_DAYS = int(os.environ.get("WEIZHI_ANNUAL_TASK_REMINDER_DAYS", "30"))
WEIZHI_TASK_EVIDENCE_MAX_FILES = 10
WEIZHI_TASK_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
# How long a notification may wait for its direct hand-off before the sweep sends it.
WEIZHI_NOTIFICATION_SWEEP_GRACE_SECONDS = int(
    os.environ.get("WEIZHI_NOTIFICATION_SWEEP_GRACE_SECONDS", "30")
)
# Notification channels (workflows/channels): a robot's answer is awaited this many seconds;
# a failed message is tried again after each wait in turn, then marked failed; robots are
# reached only on these hosts (None: any; dev and test: loopback only, so no outside host).
WEIZHI_CHANNEL_TIMEOUT_SECONDS = int(os.environ.get("WEIZHI_CHANNEL_TIMEOUT_SECONDS", "10"))
WEIZHI_CHANNEL_RETRY_SECONDS: tuple[int, ...] = (60, 300, 1800, 7200, 21600)
WEIZHI_CHANNEL_HOSTS: tuple[str, ...] | None = None
# Delivered and failed channel messages are deleted this many days after they were written.
WEIZHI_CHANNEL_MESSAGE_DAYS = int(os.environ.get("WEIZHI_CHANNEL_MESSAGE_DAYS", "180"))
# Wagtail's own background work (search and reference indexes, image renditions) runs through
# django-tasks: at once, inside the transaction that asks for it, one transaction at a time
# (cms/task_backends.py).
TASKS = {"default": {"BACKEND": "cms.task_backends.SerialImmediateBackend"}}

# Celery: Redis (or any kombu URL) in production and CI; with nothing set, a
# file-system broker in var/ so background work still happens with no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://localhost//")
CELERY_QUEUE_DIR = VAR_DIR / "celery-queue"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = (
    {
        "data_folder_in": str(CELERY_QUEUE_DIR),
        "data_folder_out": str(CELERY_QUEUE_DIR),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-content": {
        "task": "cms.tasks.publish_scheduled_content",
        "schedule": 60.0,
    },
    "send-pending-notifications": {
        "task": "workflows.chains.tasks.send_pending_notifications",
        "schedule": 60.0,
    },
    "send-due-channel-messages": {
        "task": "workflows.channels.send_due_channel_messages",
        "schedule": 60.0,
    },
    "remind-waiting-reviewers": {
        "task": "workflows.chains.tasks.remind_waiting_reviewers",
        "schedule": crontab(hour=8, minute=30),
    },
    "remind-overdue-usage-reports": {
        "task": "workflows.chains.tasks.remind_overdue_usage_reports",
        "schedule": crontab(hour=8, minute=40),
    },
    "close-due-votes": {
        "task": "workflows.voting.tasks.close_due_votes",
        "schedule": 60.0,
    },
    "purge-audit-events": {
        "task": "content_types.accounts.tasks.purge_audit_events",
        "schedule": crontab(hour=3, minute=20),
    },
    "delete-old-channel-messages": {
        "task": "workflows.channels.delete_old_channel_messages",
        "schedule": crontab(hour=3, minute=35),
    },
    "delete-stale-config-drafts": {
        "task": "site_config.tasks.delete_stale_config_drafts",
        "schedule": crontab(hour=3, minute=30),
    },
    "anonymise-old-votes": {
        "task": "workflows.voting.tasks.anonymise_old_votes",
        "schedule": crontab(hour=3, minute=40),
    },
    "escalate-overdue-cases": {
        "task": "content_types.cases.tasks.escalate_overdue_cases",
        "schedule": crontab(minute="*/10"),
    },
    "remind-overdue-reports": {
        "task": "content_types.reports.tasks.remind_overdue_reports",
        "schedule": crontab(hour=8, minute=50),
    },
    "open-due-audits": {
        "task": "content_types.audits.tasks.open_due_audits",
        "schedule": crontab(hour=6, minute=10),
    },
    # 考评: score the latest finished period each night; a rerun writes the same numbers.
    "compute-scorecards": {
        "task": "content_types.scorecards.tasks.compute_scorecards",
        "schedule": crontab(hour=4, minute=10),
    },
    "remind-annual-task-deadlines": {
        "task": "workflows.chains.tasks.remind_annual_task_deadlines",
        "schedule": crontab(hour=8, minute=50),
    },
    # Screens' last visits, noted in Redis by the app servers, written in one transaction.
    "flush-screens-last-seen": {
        "task": "api.tasks.flush_screens_last_seen",
        "schedule": 60.0,
    },
    "heartbeat": {
        "task": "cms.tasks.record_worker_heartbeat",
        "schedule": crontab(minute="*"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
        "django.db.backends": {"level": "INFO"},
    },
}

# The machines have no internet, and the notices these would show are English.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
