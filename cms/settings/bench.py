"""Benchmarks only (``make bench``): production-like serving, plus Wagtail's API v2 to compare.

DEBUG off, no debug toolbar or query logging, the same middleware as every environment, plus one
that counts each response's SQL queries into a header (``benchmarks/query_count.py``). Wagtail's
built-in API v2 is served here and nowhere else, so the screen feed can be measured against it on
the same server and database; production does not expose it.
"""

import os

from .base import *  # noqa: F403
from .base import (
    CACHES,
    INSTALLED_APPS,
    MIDDLEWARE,
    WEIZHI_FIELD_ENCRYPTION_KEYS,
    WEIZHI_PERSONAL_DATA_DIGEST_KEY,
    development_key,
    env_list,
)

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or "bench-only-insecure-key-" + "x" * 40
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "rest_framework"]
ROOT_URLCONF = "benchmarks.urls"
# Each response says how many SQL queries it cost (X-SQL-Queries), for the load generator.
MIDDLEWARE = ["benchmarks.query_count.CountQueries", *MIDDLEWARE]
# Each run keeps its keys apart in a shared Redis (benchmarks/district_scale.py), never flushing it.
if os.environ.get("WEIZHI_BENCH_CACHE_PREFIX"):
    CACHES["default"]["KEY_PREFIX"] = os.environ["WEIZHI_BENCH_CACHE_PREFIX"]
GRAPHQL_INTROSPECTION = False
# The screen feed shows 50 notices; API v2 must be allowed to return as many in one page.
WAGTAILAPI_LIMIT_MAX = 50
REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

# A fixed key so a development database survives restarts; never used in production.
WEIZHI_FIELD_ENCRYPTION_KEYS = WEIZHI_FIELD_ENCRYPTION_KEYS or [development_key("fields")]
WEIZHI_PERSONAL_DATA_DIGEST_KEY = WEIZHI_PERSONAL_DATA_DIGEST_KEY or development_key("digests")
# What api/fast_paths.py leaves out, to measure each path (benchmarks/fast_paths.py).
WEIZHI_API_WITHOUT = tuple(env_list("WEIZHI_API_WITHOUT"))
