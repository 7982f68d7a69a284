"""Public screens (公开屏): who may read a scope's screen feed, and when each last asked.

A screen holds a random token; only its SHA-256 is stored. The token carries 256 bits of
randomness, so a plain fast hash is safe against guessing and lets each request find its
screen with one indexed lookup, where a password hasher (salted, slow on purpose) would cost
every poll tens of milliseconds and could not be looked up by value.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Case, F, Func, Value, When
from django.utils import timezone
from wagtail.models import Page

from content_types.roles.models import Role

from .bounded_cache import BoundedCache

# A token is sent as ``Authorization: Screen <token>`` or ``?token=<token>``.
TOKEN_PREFIX = "wzs_"  # noqa: S105 - a marker, not a secret

# ``last_seen_at`` is written at most this often, so polling screens cost no write per request.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ScreenQuerySet(models.QuerySet):
    def active(self) -> ScreenQuerySet:
        return self.filter(revoked_at__isnull=True)


class Screen(models.Model):
    """One public screen, allowed to read the screen feed of one community or compound."""

    name = models.CharField(
        "名称", max_length=100, help_text="便于识别的名称，如：锦绣花园 3 幢大堂公开屏。"
    )
    scope = models.ForeignKey(
        Page,
        verbose_name="展示范围",
        on_delete=models.CASCADE,
        related_name="screens",
        help_text="公开屏只能读取这个社区或小区的内容。",
    )
    location = models.CharField(
        "安装位置", max_length=200, blank=True, help_text="如：3 幢大堂东侧墙面。"
    )
    code = models.SlugField(
        "代码",
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="由站点配置文件登记的公开屏以此代码对应配置中的条目。",
    )
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_issued_at = models.DateTimeField("令牌生成时间", default=timezone.now, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField("最近访问", null=True, blank=True, editable=False)

    # Isolated by its community or compound (``content_types.roles.permissions``); the screen
    # managers of a scope may do everything to its screens. Kept out of the role table, so no
    # Django permission lists every scope's screens in the site history.
    scope_field = "scope"
    scope_roles = Role.SCREEN_MANAGERS

    objects = ScreenQuerySet.as_manager()

    class Meta:
        verbose_name = "公开屏"
        verbose_name_plural = "公开屏"
        ordering = ["scope__path", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def issue_token(self) -> str:
        """Set a new token (the old one stops working) and return it; only its hash is kept.

        The caller shows the returned token once and saves the screen.
        """
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.token_issued_at = timezone.now()
        self.revoked_at = None
        return token

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def covers(self, page: Page) -> bool:
        """Whether ``page`` lies within this screen's scope (a community covers its compounds)."""
        return page.path.startswith(self.scope.path)

    def mark_seen(self) -> None:
        """Record a request, writing at most once per ``LAST_SEEN_RESOLUTION``.

        A district's 10,000 screens make about 170 of these writes a second. On PostgreSQL each is
        committed without waiting for the disk: the one statement turns ``synchronous_commit``
        off for its own transaction (``set_config(…, true)`` is ``SET LOCAL``). A crash may lose
        the last minute's marks, which the next polls write again.
        """
        now = timezone.now()
        if self.last_seen_at is not None and now - self.last_seen_at < LAST_SEEN_RESOLUTION:
            return
        self.write_seen(now)

    def write_seen(self, now: datetime) -> None:
        """Write ``last_seen_at`` now, whatever this copy says (``shared_cache`` decides when)."""
        screens = Screen.objects.filter(pk=self.pk)
        if connection.vendor == "postgresql":
            local = Func(
                Value("synchronous_commit"),
                Value("off"),
                Value(True),  # noqa: FBT003 - set_config's is_local
                function="set_config",
                output_field=models.CharField(),
            )
            screens = screens.alias(commit=local).filter(commit="off")
        screens.update(last_seen_at=now)
        self.last_seen_at = now


# Screens written per statement by ``write_seen_in_bulk``.
SEEN_BATCH = 500


def write_seen_in_bulk(seen: dict[int, datetime]) -> None:
    """Write each screen's last visit, ``{screen id: when}``, in one transaction.

    One statement on PostgreSQL (committed without waiting for the disk, like
    ``Screen.write_seen``); elsewhere, ids in order, batches of ``SEEN_BATCH``. No signal is sent,
    so no screen's kept token is read again for it.
    """
    ids = sorted(seen)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # One statement joined to the two arrays: 10,000 screens in tens of milliseconds,
            # where batches of CASE took seconds (each row tried every WHEN of its batch).
            table = connection.ops.quote_name(Screen._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                cursor.execute(
                    f"UPDATE {table} SET last_seen_at = visit.seen "  # noqa: S608 - our table
                    "FROM unnest(%s::bigint[], %s::timestamptz[]) AS visit(id, seen) "
                    f"WHERE {table}.id = visit.id",
                    [ids, [seen[pk] for pk in ids]],
                )
            return
        for start in range(0, len(ids), SEEN_BATCH):
            batch = ids[start : start + SEEN_BATCH]
            Screen.objects.filter(pk__in=batch).update(
                last_seen_at=Case(
                    *(When(pk=pk, then=Value(seen[pk])) for pk in batch),
                    output_field=models.DateTimeField(),
                )
            )


# Every poll of every screen looks its token up: the statement is compiled once per database
# (building it costs more than running it) with a marker in place of the hash.
_HASH_MARKER = "z" * 64
_TOKEN_STATEMENTS: dict[str, tuple[str, tuple[Any, ...]]] = {}


def _token_statement() -> tuple[str, tuple[Any, ...]]:
    if connection.alias not in _TOKEN_STATEMENTS:
        queryset = Screen.objects.filter(token_hash=_HASH_MARKER).values(
            "id",
            "name",
            "scope_id",
            "revoked_at",
            "last_seen_at",
            scope_path=F("scope__path"),
            scope_depth=F("scope__depth"),
            scope_title=F("scope__title"),
        )[:1]
        _TOKEN_STATEMENTS[connection.alias] = queryset.query.get_compiler(
            connection=connection
        ).as_sql()
    return _TOKEN_STATEMENTS[connection.alias]


def screen_row(digest: str) -> tuple[Any, ...] | None:
    """The screen whose token hashes to ``digest``, revoked or not, as plain values (what
    ``shared_cache`` keeps): id, name, scope id, revoked at, last seen at, and its scope's path,
    depth and title. One indexed query."""
    sql, params = _token_statement()
    found = list(
        Screen.objects.raw(sql, [digest if param == _HASH_MARKER else param for param in params])
    )
    if not found:
        return None
    row: Any = found[0]  # with the scope's columns the statement adds
    return (
        row.pk,
        row.name,
        row.scope_id,
        row.revoked_at,
        row.last_seen_at,
        row.scope_path,
        row.scope_depth,
        row.scope_title,
    )


# What a poll knows of a scope page and a screen without loading them.
SCOPE_PAGE_FIELDS = ("id", "path", "depth", "title")
SCREEN_FIELDS = ("id", "name", "scope_id", "revoked_at", "last_seen_at")
_SCOPE_PAGES: BoundedCache[Page] = BoundedCache(4096)


def scope_page(id_: int, path: str, depth: int, title: str) -> Page:
    """A page with only its id, path, depth and title loaded, the rest deferred; one object per
    process for the same values, which its users only read (nothing may change it).

    Every poll needs its screen's scope and the scope it names, and building a ``Page`` costs
    more than the rest of a 304 (``modelcluster`` walks every relation of the model). Built as
    the ORM builds a row, a field not loaded is read from the database if asked for, never a
    default standing in for it.
    """
    key = (connection.alias, id_, path, depth, title)
    page = _SCOPE_PAGES.get(key)
    if page is None:
        page = Page.from_db(connection.alias, SCOPE_PAGE_FIELDS, (id_, path, depth, title))
        _SCOPE_PAGES.put(key, page)
    return page


def screen_from_row(row: tuple[Any, ...]) -> Screen:
    """A screen (and its scope: id, path, depth and title only) from ``screen_row``'s values."""
    id_, name, scope_id, revoked_at, last_seen_at, path, depth, title = row
    screen = Screen.from_db(
        connection.alias, SCREEN_FIELDS, (id_, name, scope_id, revoked_at, last_seen_at)
    )
    screen.scope = scope_page(scope_id, path, depth, title)
    return screen
