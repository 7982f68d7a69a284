"""Local development: the embedded default, debug on, GraphiQL on."""

from .base import *  # noqa: F403
from .base import (
    CONTENT_SECURITY_POLICY,
    SECRET_KEY,
    WEIZHI_FIELD_ENCRYPTION_KEYS,
    WEIZHI_PERSONAL_DATA_DIGEST_KEY,
    development_key,
    env_bool,
    env_list,
)

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
GRAPHQL_INTROSPECTION = True

# The demo's logins keep their documented password (README) and sign in without a second
# factor; production asks for both.
WEIZHI_PASSWORD_CHANGE_AT_FIRST_SIGN_IN = env_bool("WEIZHI_PASSWORD_CHANGE_AT_FIRST_SIGN_IN", False)
WEIZHI_TWO_FACTOR_ENFORCED = env_bool("WEIZHI_TWO_FACTOR_ENFORCED", False)

# GraphiQL loads its scripts from a CDN and runs inline code with no nonce: in development
# its address goes without the Content-Security-Policy (production serves no GraphiQL).
CONTENT_SECURITY_POLICY = {**CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/graphql/"]}

# A fixed key so a development database survives restarts; never used in production.
WEIZHI_FIELD_ENCRYPTION_KEYS = WEIZHI_FIELD_ENCRYPTION_KEYS or [development_key("fields")]
WEIZHI_PERSONAL_DATA_DIGEST_KEY = WEIZHI_PERSONAL_DATA_DIGEST_KEY or development_key("digests")

# Group robots only on this machine: a demo or test never calls an outside host.
WEIZHI_CHANNEL_HOSTS = ("127.0.0.1", "localhost", "::1")
