"""The API's disclosure fields, derived from ``content_types.disclosures.kinds``.

For each kind: a list field with its filters, a value of the ``DisclosureKind`` enum and a member
of the ``Disclosure`` union; for kinds shown on screens, a field of the screen feed. They are
built when the schema is, so a kind registered before ``build_schema`` is in it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import graphene
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from . import loaders
from .arguments import list_arguments, scope_arguments, scope_of, sort_key
from .filters import DisclosureFilter, apply_filters, filter_for
from .pagination import Slice, connection, paginate
from .types.disclosures import object_type
from .visibility import Visibility

if TYPE_CHECKING:
    from collections.abc import Iterable

    from content_types.disclosures.kinds import DisclosureKind


@cache
def connection_of(kind: DisclosureKind) -> type[graphene.ObjectType]:
    return connection(object_type(kind), f"{kind.type_name}Connection", kind.label)


def kind_enum(kinds: tuple[DisclosureKind, ...]) -> type[graphene.Enum]:
    labels = {kind.code: kind.label for kind in kinds}

    def description(member: Any) -> str:
        return labels[member.value]

    return type(
        "DisclosureKind",
        (graphene.Enum,),
        {
            **{kind.code.upper(): kind.code for kind in kinds},
            "description": property(description),
            "Meta": type("Meta", (), {"description": "公开公示的类型"}),
        },
    )


def disclosure_union(kinds: tuple[DisclosureKind, ...]) -> type[graphene.Union]:
    types = {kind.model: object_type(kind) for kind in kinds}

    def resolve_type(cls: Any, instance: Any, info: Any) -> Any:
        return types.get(type(instance))

    meta = {
        "name": "Disclosure",
        "description": "任一类型的公开公示（按 __typename 区分）",
        "types": tuple(types.values()),
    }
    return type(
        "DisclosureUnion",
        (graphene.Union,),
        {"Meta": type("Meta", (), meta), "resolve_type": classmethod(resolve_type)},
    )


def _fund_argument(kind: DisclosureKind) -> dict[str, graphene.String]:
    if not kind.fund_field:
        return {}
    label = kind.model._meta.get_field(kind.fund_field).verbose_name
    values = "、".join(value for value, _label in kind.funds())
    return {kind.fund_field: graphene.String(description=f"{label}：{values}")}


def _list_resolver(kind: DisclosureKind) -> Any:
    def resolve(root: Any, info: Any, **arguments: Any) -> Slice:
        first = arguments.pop("first", None)
        after = arguments.pop("after", None)
        order_by = arguments.pop("order_by", None)
        scope = scope_of(info, arguments.pop("compound", None), arguments.pop("community", None))
        queryset = apply_filters(
            filter_for(kind),
            loaders.in_compounds(Visibility.of(info.context), scope, kind.model),
            **arguments,
        )
        return paginate(queryset.prefetch_related(*kind.rows), sort_key(order_by), first, after)

    return staticmethod(resolve)


def query_fields(kinds: Iterable[DisclosureKind]) -> dict[str, Any]:
    """The list field of each kind and ``disclosures`` of all, with their resolvers."""
    kinds = tuple(kinds)
    fields: dict[str, Any] = {}
    for kind in kinds:
        fields[kind.plural] = graphene.Field(
            connection_of(kind),
            required=True,
            **scope_arguments(),
            **_fund_argument(kind),
            **list_arguments(),
            description=f"{kind.label}；日期范围{kind.dates_help}",
        )
        fields[f"resolve_{kind.plural}"] = _list_resolver(kind)
    enum = kind_enum(kinds)
    fields["disclosures"] = graphene.Field(
        connection(disclosure_union(kinds), "DisclosureConnection", "公开公示"),
        required=True,
        **scope_arguments(),
        type=graphene.List(graphene.NonNull(enum), description="只看这些类型；不填则全部"),
        **list_arguments(),
        description="各类公开公示，按发布时间排序；日期范围按首次发布日期筛选",
    )
    fields["resolve_disclosures"] = _disclosures_resolver(kinds)
    return fields


def _disclosures_resolver(kinds: tuple[DisclosureKind, ...]) -> Any:
    by_code = {kind.code: kind for kind in kinds}

    def resolve(
        root: Any,
        info: Any,
        first: int | None = None,
        after: str | None = None,
        order_by: str | None = None,
        type: list[Any] | None = None,
        **arguments: Any,
    ) -> Slice:
        scope = scope_of(info, arguments.pop("compound", None), arguments.pop("community", None))
        codes = [getattr(code, "value", code) for code in type or ()] or list(by_code)
        content_types = ContentType.objects.get_for_models(
            *(by_code[code].model for code in codes)
        ).values()
        queryset = apply_filters(
            DisclosureFilter,
            Visibility.of(info.context).pages(
                Page.objects.filter(scope.subtree_q(), content_type__in=content_types)
            ),
            **arguments,
        )
        page = paginate(queryset, sort_key(order_by), first, after)
        page.items = _specific(page.items, kinds)
        return page

    return staticmethod(resolve)


def _specific(pages: list[Page], kinds: tuple[DisclosureKind, ...]) -> list[Page]:
    """The pages as their own types with their rows: one query per type, one per kind of row."""
    by_type: dict[int, list[int]] = {}
    for page in pages:
        by_type.setdefault(page.content_type_id, []).append(page.pk)
    loaded: dict[int, Page] = {}
    for kind in kinds:
        content_type = ContentType.objects.get_for_model(kind.model)
        if content_type.pk in by_type:
            found = kind.model.objects.filter(pk__in=by_type[content_type.pk])
            for page in found.prefetch_related(*kind.rows):
                loaded[page.pk] = page
    return [loaded[page.pk] for page in pages if page.pk in loaded]


def screen_fields(kinds: Iterable[DisclosureKind]) -> dict[str, Any]:
    """The latest disclosure of each kind shown on screens, for the screen feed."""
    fields: dict[str, Any] = {}
    for kind in kinds:
        if kind.on_screen:
            fields[kind.code] = graphene.Field(object_type(kind), description=f"最新的{kind.label}")
            fields[f"resolve_{kind.code}"] = _latest_resolver(kind)
    return fields


def _latest_resolver(kind: DisclosureKind) -> Any:
    def resolve(feed: Any, info: Any) -> Page | None:
        return loaders.latest_disclosure(
            feed.visibility,
            feed.scope,
            kind.model,
            rows=kind.screen_rows or None,
            latest_by=kind.latest_by,
        )

    return staticmethod(resolve)
