"""Tests: fast hashing, local-memory cache, and the database named by DATABASE_URL.

CI points DATABASE_URL at PostgreSQL and CELERY_BROKER_URL at Redis; with
nothing set the suite runs on SQLite. The SQLite test database is a file, not
memory, so that a Celery worker process started by a test can read it.
"""

import os

from .base import *  # noqa: F403
from .base import (
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    DATABASES,
    INSTALLED_APPS,
    VAR_DIR,
    WEIZHI_FIELD_ENCRYPTION_KEYS,
    WEIZHI_PERSONAL_DATA_DIGEST_KEY,
    development_key,
)

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# As in dev, the demo's logins sign straight in; the tests of each rule turn it on.
WEIZHI_PASSWORD_CHANGE_AT_FIRST_SIGN_IN = False
WEIZHI_TWO_FACTOR_ENFORCED = False
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
    },
}
# A test and the app server it starts share a real Redis cache (tests/api/test_shared_cache.py).
if os.environ.get("WEIZHI_TEST_CACHE_URL"):
    CACHES["default"] = {
        "BACKEND": "core.redis_cache.SharedClientRedisCache",
        "LOCATION": os.environ["WEIZHI_TEST_CACHE_URL"],
    }
# A worker process started by a test writes its e-mails to files the test can read.
EMAIL_BACKEND = os.environ.get(
    "WEIZHI_TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("WEIZHI_TEST_EMAIL_DIR", str(VAR_DIR / "test-mail"))
GRAPHQL_INTROSPECTION = True
# A disclosure model the tests register as a kind of their own (tests/api/test_disclosure_kinds.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.disclosure_kind"]
WAGTAILADMIN_BASE_URL = "http://testserver"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("WEIZHI_TEST_SQLITE", str(VAR_DIR / "test.sqlite3"))
    }

# Keep test messages out of the development worker's queue.
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(VAR_DIR / "test-celery-queue"),
        "data_folder_out": str(VAR_DIR / "test-celery-queue"),
        "control_folder": str(VAR_DIR / "test-celery-control"),
    }

# A fixed key so a development database survives restarts; never used in production.
WEIZHI_FIELD_ENCRYPTION_KEYS = WEIZHI_FIELD_ENCRYPTION_KEYS or [development_key("fields")]
WEIZHI_PERSONAL_DATA_DIGEST_KEY = WEIZHI_PERSONAL_DATA_DIGEST_KEY or development_key("digests")

# Group robots only on this machine: a demo or test never calls an outside host.
WEIZHI_CHANNEL_HOSTS = ("127.0.0.1", "localhost", "::1")
