"""Street, community and compound: the public structure."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import graphene
from graphene_django import DjangoObjectType
from wagtail.models import Page

from api.richtext import expand_many
from api.visibility import Visibility
from content_types.structure.models import CommunityPage, CompoundPage, StreetPage

CHILDREN_ATTRIBUTE = "_weizhi_structure_children"


def public_children(context: Any, model: type[Page], parent: Page) -> list[Page]:
    """The public pages of ``model`` under ``parent``: all of them loaded in one query per
    request and grouped by parent, so a tree of any size costs one query per level."""
    loaded = getattr(context, CHILDREN_ATTRIBUTE, None)
    if loaded is None:
        loaded = {}
        setattr(context, CHILDREN_ATTRIBUTE, loaded)
    if model not in loaded:
        grouped: dict[str, list[Page]] = defaultdict(list)
        for page in Visibility.of(context).pages(model.objects.all()).order_by("path"):
            grouped[page.path[: -Page.steplen]].append(page)
        loaded[model] = grouped
    return loaded[model].get(parent.path, [])


def remember_streets(context: Any, streets: list[Page]) -> list[Page]:
    """Note the streets a query lists, so that their intros are expanded together."""
    loaded = getattr(context, CHILDREN_ATTRIBUTE, None)
    if loaded is None:
        loaded = {}
        setattr(context, CHILDREN_ATTRIBUTE, loaded)
    loaded[StreetPage] = {"": streets}
    return streets


def intro_html(context: Any, page: Page) -> str:
    """The page's intro with links resolved, expanded with its siblings' in one pass."""
    cached = getattr(page, "api_intro_html", None)
    if cached is not None:
        return cached
    loaded = getattr(context, CHILDREN_ATTRIBUTE, {}).get(type(page), {})
    batch = [each for group in loaded.values() for each in group] or [page]
    if page not in batch:
        batch.append(page)
    for each, html in zip(batch, expand_many([each.intro for each in batch]), strict=True):
        each.api_intro_html = html
    return page.api_intro_html


class CompoundType(DjangoObjectType):
    class Meta:
        model = CompoundPage
        name = "Compound"
        fields = ("id", "title", "slug", "address", "household_count", "total_exclusive_area")
        description = "小区"


class CommunityType(DjangoObjectType):
    compounds = graphene.List(graphene.NonNull(CompoundType), required=True)
    intro = graphene.String(required=True, description="简介（HTML，内部链接已解析）")

    class Meta:
        model = CommunityPage
        name = "Community"
        fields = ("id", "title", "slug", "address", "office_phone")
        description = "社区"

    @staticmethod
    def resolve_compounds(community: CommunityPage, info: Any) -> list[Page]:
        return public_children(info.context, CompoundPage, community)

    @staticmethod
    def resolve_intro(community: CommunityPage, info: Any) -> str:
        return intro_html(info.context, community)


class StreetType(DjangoObjectType):
    communities = graphene.List(graphene.NonNull(CommunityType), required=True)
    intro = graphene.String(required=True, description="简介（HTML，内部链接已解析）")

    class Meta:
        model = StreetPage
        name = "Street"
        fields = ("id", "title", "slug", "region")
        description = "街道"

    @staticmethod
    def resolve_communities(street: StreetPage, info: Any) -> list[Page]:
        return public_children(info.context, CommunityPage, street)

    @staticmethod
    def resolve_intro(street: StreetPage, info: Any) -> str:
        return intro_html(info.context, street)
