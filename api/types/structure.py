"""Street, community and compound: the public structure."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import QuerySet
from graphene_django import DjangoObjectType

from content_types.structure.models import CommunityPage, CompoundPage, StreetPage

from ..richtext import expand_many
from ..visibility import Visibility


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
    def resolve_compounds(community: CommunityPage, info: Any) -> QuerySet:
        visible = Visibility.of(info.context)
        return visible.pages(CompoundPage.objects.child_of(community)).order_by("path")

    @staticmethod
    def resolve_intro(community: CommunityPage, info: Any) -> str:
        return expand_many([community.intro])[0]


class StreetType(DjangoObjectType):
    communities = graphene.List(graphene.NonNull(CommunityType), required=True)
    intro = graphene.String(required=True, description="简介（HTML，内部链接已解析）")

    class Meta:
        model = StreetPage
        name = "Street"
        fields = ("id", "title", "slug", "region")
        description = "街道"

    @staticmethod
    def resolve_communities(street: StreetPage, info: Any) -> QuerySet:
        visible = Visibility.of(info.context)
        return visible.pages(CommunityPage.objects.child_of(street)).order_by("path")

    @staticmethod
    def resolve_intro(street: StreetPage, info: Any) -> str:
        return expand_many([street.intro])[0]
