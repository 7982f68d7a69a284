"""The field that reads disclosures of configured kinds, and the latest of each for screens.

One field for every kind (``configuredDisclosures(kind: …)``), so the schema does not change
when the configuration file adds or removes a kind. A kind that is unknown or no longer active
is a GraphQL error in Chinese; its pages are public on the same terms as every other page
(``Visibility``). The list is paginated like the built-in kinds' lists, in a fixed number of
queries: the kind, the scope, the hidden subtrees, the page, and the files its cells refer to.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import graphene
from django.db import transaction
from django.db.models import OuterRef, Subquery
from wagtail.signals import page_published

from content_types.configured_disclosures.declaration import ColumnType
from content_types.configured_disclosures.models import ConfiguredDisclosurePage, ConfiguredKind
from content_types.notices.images import prepare_image_renditions
from graphql import GraphQLError

from .arguments import list_arguments, scope_arguments, scope_of, sort_key
from .filters import ConfiguredDisclosureFilter, apply_filters
from .pagination import Slice, connection, paginate
from .statements import Statement
from .types.configured_disclosures import ConfiguredDisclosureType, file_cells, remember_files
from .visibility import Visibility, public_pages_from

if TYPE_CHECKING:
    from .scope import Scope

logger = logging.getLogger(__name__)

ConfiguredDisclosureConnection = connection(
    ConfiguredDisclosureType, "ConfiguredDisclosureConnection", "自定义公示"
)


def active_kind(code: str) -> ConfiguredKind:
    """The active kind of ``code``; a GraphQL error in Chinese for any other code."""
    code = (code or "").strip()
    found = ConfiguredKind.objects.filter(code=code, active=True).first() if code else None
    if found is None:
        shown = code if len(code) <= 64 else code[:64] + "…"
        raise GraphQLError(
            f"未找到已启用的公示种类：“{shown}”。请使用配置文件 disclosure_kinds 中的 code。",
            extensions={"code": "UNKNOWN_KIND"},
        )
    return found


def configured_disclosures_field() -> graphene.Field:
    return graphene.Field(
        ConfiguredDisclosureConnection,
        required=True,
        kind=graphene.String(required=True, description="种类代码（配置文件中的 code）"),
        **scope_arguments(),
        **list_arguments(),
        description="配置文件声明的某一种类的公示（自定义公示）；不指定范围则为全站；"
        "日期范围按公示日期筛选",
    )


def resolve_configured_disclosures(
    root: Any,
    info: Any,
    kind: str,
    compound: str | None = None,
    community: str | None = None,
    first: int | None = None,
    after: str | None = None,
    order_by: str | None = None,
    **arguments: Any,
) -> Slice:
    found = active_kind(kind)
    scope = scope_of(info, compound, community, required=False)
    pages = ConfiguredDisclosurePage.objects.filter(kind=found)
    if scope is not None:
        pages = pages.filter(scope.subtree_q())
    queryset = apply_filters(
        ConfiguredDisclosureFilter, Visibility.of(info.context).pages(pages), **arguments
    )
    page = paginate(queryset, sort_key(order_by), first, after)
    for each in page.items:
        each.kind = found  # read once above, not once per page
    remember_files(info.context, page.items)
    return page


# --------------------------------------------------------------------------- screens


def _latest_of_each_kind(shape: Any, scope_path: str, **visibility: Any) -> Any:
    in_reach = public_pages_from(
        ConfiguredDisclosurePage.objects.filter(path__startswith=scope_path), visibility
    )
    latest = (
        in_reach.filter(kind=OuterRef("pk"))
        .order_by("-as_of", "-first_published_at", "-pk")
        .values("pk")[:1]
    )
    latest_ids = (
        ConfiguredKind.objects.filter(active=True)
        .annotate(latest=Subquery(latest))
        .filter(latest__isnull=False)
        .values("latest")
    )
    return (
        ConfiguredDisclosurePage.objects.filter(pk__in=latest_ids)
        .select_related("kind")
        .order_by("kind__sort_order", "kind__code")
    )


LATEST_OF_EACH_KIND = Statement(_latest_of_each_kind)


def latest_of_each_kind(visibility: Visibility, scope: Scope) -> list[ConfiguredDisclosurePage]:
    """The public page with the latest date of each active kind in reach, in the kinds' order
    of the file, with their kinds: one query."""
    shape, values = visibility.statement_values()
    return LATEST_OF_EACH_KIND.objects(shape, scope_path=scope.page.path, **values)


def on_published(sender: Any, instance: ConfiguredDisclosurePage, **kwargs: Any) -> None:
    """``page_published`` receiver: the pictures in a page's cells are resized once it is
    published, as a notice's are, so that a screen's read only finds them (and costs the same
    queries every time). After the commit; a failure is logged, a read makes what is missing."""
    ids = {pk for column_type, pk in file_cells(instance) if column_type == ColumnType.IMAGE}
    if not ids:
        return

    def prepare() -> None:
        try:
            prepare_image_renditions(ids)
        except Exception:
            logger.exception("Could not prepare the screen renditions of page %s", instance.pk)

    transaction.on_commit(prepare)


def connect() -> None:
    page_published.connect(
        on_published,
        sender=ConfiguredDisclosurePage,
        dispatch_uid="api_configured_disclosure_renditions",
    )
