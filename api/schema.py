"""The public GraphQL schema: only live, public content, for screens and other clients."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import QuerySet
from graphene_django import DjangoObjectType

from content_types.structure.models import CommunityPage, CompoundPage, StreetPage


def published(queryset: QuerySet) -> QuerySet:
    """Live pages without a view restriction: what anyone may read."""
    return queryset.live().public()


class CompoundType(DjangoObjectType):
    class Meta:
        model = CompoundPage
        name = "Compound"
        fields = ("id", "title", "slug", "address", "household_count", "total_exclusive_area")
        description = "小区"


class CommunityType(DjangoObjectType):
    compounds = graphene.List(graphene.NonNull(CompoundType), required=True)

    class Meta:
        model = CommunityPage
        name = "Community"
        fields = ("id", "title", "slug", "address", "office_phone")
        description = "社区"

    @staticmethod
    def resolve_compounds(community: CommunityPage, info: Any) -> QuerySet:
        return published(CompoundPage.objects.child_of(community)).order_by("path")


class StreetType(DjangoObjectType):
    communities = graphene.List(graphene.NonNull(CommunityType), required=True)

    class Meta:
        model = StreetPage
        name = "Street"
        fields = ("id", "title", "slug", "region")
        description = "街道"

    @staticmethod
    def resolve_communities(street: StreetPage, info: Any) -> QuerySet:
        return published(CommunityPage.objects.child_of(street)).order_by("path")


class Query(graphene.ObjectType):
    streets = graphene.List(graphene.NonNull(StreetType), required=True, description="所有街道")
    compound = graphene.Field(
        CompoundType, slug=graphene.String(required=True), description="按 slug 查询小区"
    )

    @staticmethod
    def resolve_streets(root: Any, info: Any) -> QuerySet:
        return published(StreetPage.objects.all()).order_by("path")

    @staticmethod
    def resolve_compound(root: Any, info: Any, slug: str) -> CompoundPage | None:
        return published(CompoundPage.objects.filter(slug=slug)).first()


schema = graphene.Schema(query=Query)
