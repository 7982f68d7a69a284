"""The community or compound a query reads, named by slug or id, and only when it is public."""

from __future__ import annotations

from typing import Any, Literal, overload

from django.db.models import Q
from django.utils.functional import cached_property
from wagtail.models import Page

from content_types.structure.models import CommunityPage, CompoundPage
from core.ids import id_from_text
from graphql import GraphQLError

from .statements import Statement
from .visibility import Visibility

KINDS: dict[type[Page], str] = {CompoundPage: "小区", CommunityPage: "社区"}


class Scope:
    """A public community or compound and the pages its readers may see notices from.

    A compound's readers also follow its community's own notices (the community's direct
    children), as its notice board does; a community's readers see its whole subtree.
    """

    def __init__(self, page: Page, ancestors: list[Page]) -> None:
        self.page = page
        self.ancestors = ancestors

    @cached_property
    def community(self) -> CommunityPage | None:
        """The community the scope is or lies in (one query for a compound's, when asked)."""
        if isinstance(self.page, CommunityPage):
            return self.page
        parent = next((page for page in self.ancestors if page.depth == self.page.depth - 1), None)
        if parent is None:
            return None
        return CommunityPage.objects.filter(pk=parent.pk).first()

    def subtree_q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}path__startswith": self.page.path})

    def notice_reach_q(self) -> Q:
        return notice_reach_q(**self.notice_reach_values())

    def notice_reach_values(self) -> dict[str, Any]:
        """The values ``notice_reach_q`` takes for this scope (for a ``Statement`` too)."""
        values: dict[str, Any] = {"scope_path": self.page.path}
        if not isinstance(self.page, CommunityPage):
            parent = next(
                (page for page in self.ancestors if page.depth == self.page.depth - 1), None
            )
            if parent is not None:
                values.update(parent_path=parent.path, parent_child_depth=parent.depth + 1)
        return values


def notice_reach_q(
    scope_path: str, parent_path: str | None = None, parent_child_depth: int | None = None
) -> Q:
    """The scope's subtree, and its parent's direct children when a parent is given."""
    condition = Q(path__startswith=scope_path)
    if parent_path is not None:
        condition |= Q(path__startswith=parent_path, depth=parent_child_depth)
    return condition


_CANDIDATES = Statement(
    lambda shape, slug, pk=None: (
        shape[0]
        .objects.filter(Q(slug=slug) | Q(pk=pk) if pk is not None else Q(slug=slug))
        .order_by("path")[:3]
    )
)
_PAGES_BY_PATH = Statement(
    lambda shape, **paths: Page.objects.filter(path__in=list(paths.values())).order_by("depth")
)


def _candidates(model: type[Page], value: str) -> list[Page]:
    pk = id_from_text(value)
    if pk is None:
        return _CANDIDATES.objects((model, False), slug=value)
    return _CANDIDATES.objects((model, True), slug=value, pk=pk)


def _ancestors(page: Page) -> list[Page]:
    """The page's ancestors below the tree's root, from the top: one query."""
    paths = {f"path_{depth}": page.path[: depth * Page.steplen] for depth in range(2, page.depth)}
    return _PAGES_BY_PATH.objects(len(paths), **paths) if paths else []


@overload
def find_scope(
    context: Any, value: str | None, model: type[Page], *, required: Literal[True] = True
) -> Scope: ...
@overload
def find_scope(
    context: Any, value: str | None, model: type[Page], *, required: bool
) -> Scope | None: ...
def find_scope(
    context: Any, value: str | None, model: type[Page], *, required: bool = True
) -> Scope | None:
    """The public page of ``model`` whose slug (or else id) is ``value``, with its ancestors.

    Unknown, unpublished, expired or restricted pages, and pages under an unpublished or
    restricted ancestor, are not found: a GraphQL error in Chinese, or None when not required.
    Two queries: the page, and its ancestors.
    """
    kind = KINDS[model]
    value = (value or "").strip()
    if not value:
        raise GraphQLError(f"请提供{kind}的 slug 或 id。")
    found = _candidates(model, value)
    by_slug = [page for page in found if page.slug == value]
    if len(by_slug) > 1:
        raise GraphQLError(f"有多个{kind}使用 slug“{value}”，请改用 id 查询。")
    page = by_slug[0] if by_slug else (found[0] if found else None)
    visibility = Visibility.of(context)
    if page is not None:
        ancestors = _ancestors(page)
        chain = [*ancestors, page]
        if all(_is_public(visibility, each) for each in chain):
            return Scope(page, ancestors)
    if required:
        raise GraphQLError(f"未找到已公开的{kind}：{value}。")
    return None


def _is_public(visibility: Visibility, page: Page) -> bool:
    return (
        page.live
        and (page.expire_at is None or page.expire_at > visibility.now)
        and visibility.is_public_path(page.path)
    )
