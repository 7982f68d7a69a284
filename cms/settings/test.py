"""Tests: fast hashing, local-memory cache, and the database named by DATABASE_URL.

CI points DATABASE_URL at PostgreSQL and CELERY_BROKER_URL at Redis; with
nothing set the suite runs on SQLite. The SQLite test database is a file, not
memory, so that a Celery worker process started by a test can read it.

The suite runs in parallel (pytest-xdist); worker i (PYTEST_XDIST_WORKER "gw<i>") has its own
of everything global: its test database (pytest-django adds "_gw<i>"), Redis broker db
base + 2i and shared-cache db base + 2i + 1 (base: CELERY_BROKER_URL's db; a set
WEIZHI_TEST_CACHE_URL moves by the same 2i), and var/test-gw<i>/ for media, mail and files.
"""

import os
import urllib.parse
from pathlib import Path


def worker_index() -> int | None:
    """This xdist worker's number, or None outside xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else None


def moved_redis_db(url: str, by: int) -> str:
    """``url`` with its Redis database number raised by ``by``; other brokers unchanged."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return url
    return parts._replace(path=f"/{int(parts.path.strip('/') or 0) + by}").geturl()


# Resolved into the environment before the base settings read it: Celery reads its broker from
# there before its settings, and the processes a test starts inherit it. The mark keeps such a
# process, whose broker may be a test's own, from moving it a second time.
if worker_index() is not None and os.environ.get("WEIZHI_TEST_WORKER") != os.environ.get(
    "PYTEST_XDIST_WORKER"
):
    _step = 2 * (worker_index() or 0)
    for _name in ("CELERY_BROKER_URL", "WEIZHI_TEST_CACHE_URL"):
        if os.environ.get(_name):
            os.environ[_name] = moved_redis_db(os.environ[_name], _step)
    _var = Path(os.environ.get("WEIZHI_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    os.environ["WEIZHI_VAR_DIR"] = str(_var / f"test-{os.environ['PYTEST_XDIST_WORKER']}")
    os.environ["WEIZHI_TEST_WORKER"] = os.environ["PYTEST_XDIST_WORKER"]

from .base import *  # noqa: E402, F403
from .base import (  # noqa: E402
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
# A test and the app server it starts share a real Redis cache (tests/api/test_shared_cache.py):
# WEIZHI_TEST_CACHE_URL, or the database after the broker's where the broker is Redis.
WEIZHI_TEST_CACHE_URL = os.environ.get("WEIZHI_TEST_CACHE_URL") or (
    moved_redis_db(CELERY_BROKER_URL, 1) if CELERY_BROKER_URL.startswith("redis") else None
)
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
