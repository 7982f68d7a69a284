"""Snippet admin for rows that belong to a compound, filtered by the same scope as pages.

``CompoundScopedSnippetViewSet`` registers the model's ``ScopedPermissionPolicy``
(the model declares its ``scope_field``) and wraps every view class it has, so
that no admin URL shows or changes a row outside the user's scope:

* every view with a ``pk`` in its URL (edit, delete, inspect, history, usage,
  revisions, compare, revert, unpublish, unschedule, lock/unlock, workflow
  actions and history, and previews, copy and reorder where enabled) looks the
  row up in the scoped queryset before Wagtail loads it, and answers 404 when
  it is out of reach. Checking in ``setup`` covers the views that call
  ``get_object_or_404(self.model, ...)`` themselves (inspect, compare,
  unpublish, unschedule, preview, reorder) as well as those going through
  ``get_object``/``get_base_object_queryset``, and any view Wagtail adds;
* their model-level permission checks become checks on that row's compound
  (``RowScopedPolicy``), so a user holding "change" in one compound and "view"
  in another is refused the editor of the second, like any missing permission;
* the listing, its search and filters, the chooser (listing, search, chosen,
  chosen-multiple), bulk delete and the audit log read scoped querysets;
* forms offer only the compounds the user may add to, and a row's compound
  cannot be changed once saved.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.functional import cached_property, classproperty
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic.models import IndexView
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .permissions import (
    ALL_ACTIONS,
    ScopedPermissionPolicy,
    scope_policy_for,
    scoped_snippet_models,
)

if TYPE_CHECKING:
    from collections.abc import Iterable


class RowScopedPolicy:
    """The model's policy, answering "may the user do X?" for one row's compound.

    Wagtail's views ask model-level questions (``PermissionCheckedMixin``,
    the publish check of the editor); behind a row's URL these must be asked
    of that row's compound. Workflow rules layered above them (reviewers
    opening the editor, locking) keep working, as they call down to this.
    """

    def __init__(self, policy: ScopedPermissionPolicy, scope_id: int) -> None:
        self.policy = policy
        self.scope_id = scope_id

    def __getattr__(self, name: str) -> Any:
        return getattr(self.policy, name)

    def user_has_permission(self, user: Any, action: str) -> bool:
        return self.user_has_any_permission(user, [action])

    def user_has_any_permission(self, user: Any, actions: Iterable[str]) -> bool:
        return self.policy.user_has_any_permission_in_scope(user, actions, self.scope_id)


class CompoundScopedObjectViewMixin:
    """Refuses, before Wagtail loads it, a row outside the user's scope; then checks per row."""

    model: type
    scoped_scope_id: int | None = None

    def setup(self, request: Any, *args: Any, **kwargs: Any) -> None:
        if "pk" in kwargs:
            policy = scope_policy_for(self.model)
            reachable = policy.instances_user_has_any_permission_for(request.user, ALL_ACTIONS)
            try:
                scope_id = (
                    reachable.filter(pk=unquote(str(kwargs["pk"])))
                    .values_list(policy.scope_attname, flat=True)
                    .first()
                )
            except (ValueError, ValidationError) as malformed:
                raise Http404 from malformed
            if scope_id is None:
                raise Http404
            self.scoped_scope_id = scope_id
        super().setup(request, *args, **kwargs)  # type: ignore[misc]

    @cached_property
    def permission_policy(self) -> ScopedPermissionPolicy | RowScopedPolicy:
        policy = scope_policy_for(self.model)
        if self.scoped_scope_id is None:
            return policy
        return RowScopedPolicy(policy, self.scoped_scope_id)


class CompoundScopedIndexViewMixin:
    """Lists only reachable rows, and offers each row only the actions allowed on its compound."""

    model: type
    request: Any

    def get_base_queryset(self) -> QuerySet:
        return scope_policy_for(self.model).scope_queryset(
            super().get_base_queryset(),  # type: ignore[misc]
            self.request.user,
            ALL_ACTIONS,
        )

    def search_queryset(self, queryset: QuerySet) -> QuerySet:
        # Search fields may follow a to-many relation (a committee's members).
        searched = super().search_queryset(queryset)  # type: ignore[misc]
        return searched.distinct() if searched is not queryset else searched

    def _allowed(self, instance: Any, actions: list[str]) -> bool:
        return scope_policy_for(self.model).user_has_any_permission_for_instance(
            self.request.user, actions, instance
        )

    def get_edit_url(self, instance: Any) -> str | None:
        if self._allowed(instance, ["change"]):
            return super().get_edit_url(instance)  # type: ignore[misc]
        return None

    def get_delete_url(self, instance: Any) -> str | None:
        if self._allowed(instance, ["delete"]):
            return super().get_delete_url(instance)  # type: ignore[misc]
        return None


@cache
def scoped_view_class(view_class: type[View]) -> type[View]:
    mixins: tuple[type, ...] = (CompoundScopedObjectViewMixin,)
    if issubclass(view_class, IndexView):
        mixins = (CompoundScopedIndexViewMixin, *mixins)
    return type(f"CompoundScoped{view_class.__name__}", (*mixins, view_class), {})


class ChooserSearchForm(BaseFilterForm):
    """Searches the chooser by the snippet listing's own fields (the admin search is the ORM's)."""

    q = forms.CharField(
        label="搜索",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "搜索"}),
    )

    def filter(self, objects: QuerySet) -> QuerySet:
        query = self.cleaned_data.get("q")
        fields = getattr(objects.model.snippet_viewset, "search_fields", None) or []
        if query and fields:
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": query})
            objects = objects.filter(condition).distinct()
            self.is_searching = True
            self.search_query = query
        return objects


class CompoundScopedChooserMixin:
    model_class: Any  # a model that declares ``scope_field``
    request: Any
    filter_form_class = ChooserSearchForm

    def scoped(self, queryset: QuerySet) -> QuerySet:
        return scope_policy_for(self.model_class).scope_queryset(
            queryset, self.request.user, ALL_ACTIONS
        )

    def get_object_list(self) -> QuerySet:
        objects = self.scoped(super().get_object_list())  # type: ignore[misc]
        field = getattr(self.model_class, "scope_field", None)  # rows owned by offices have none
        return objects.select_related(field) if field else objects

    def get_object(self, pk: Any) -> Any:
        return self.scoped(self.model_class._default_manager.all()).get(pk=pk)

    def get_objects(self, pks: list[str]) -> QuerySet:
        return self.scoped(super().get_objects(pks))  # type: ignore[misc]


class CompoundScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = type(
        "ScopedChooseView",
        (CompoundScopedChooserMixin, SnippetChooserViewSet.choose_view_class),
        {},
    )
    choose_results_view_class = type(
        "ScopedChooseResultsView",
        (CompoundScopedChooserMixin, SnippetChooserViewSet.choose_results_view_class),
        {},
    )
    chosen_view_class = type(
        "ScopedChosenView",
        (CompoundScopedChooserMixin, SnippetChooserViewSet.chosen_view_class),
        {},
    )
    chosen_multiple_view_class = type(
        "ScopedChosenMultipleView",
        (CompoundScopedChooserMixin, SnippetChooserViewSet.chosen_multiple_view_class),
        {},
    )


class CompoundScopedAdminForm(WagtailAdminModelForm):
    """Offers only the compounds the user may add to; a saved row keeps its compound."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policy = scope_policy_for(self._meta.model)
        field = self.fields.get(policy.scope_field)
        if field is None:
            return
        if self.instance.pk:
            field.disabled = True
            field.help_text = "小区在保存后不可更改；录错时请删除后重新录入。"
        else:
            field.queryset = (
                policy.scopes_user_has_any_permission_for(self.for_user, ["add"])
                if self.for_user is not None
                else field.queryset.none()
            )
            field.error_messages["invalid_choice"] = "只能选择您负责范围内的小区。"


def compound_panel(field_name: str = "compound") -> FieldPanel:
    """The compound as a plain list of the user's compounds, not a page chooser over the tree."""
    return FieldPanel(field_name, widget=forms.Select)


# A list of more compounds than this is no help to pick from (a street office of a district
# reaches 2,000), and building it cost the committees listing a page model per option: past it,
# the compound filter takes part of a compound's name instead.
COMPOUND_CHOICES_MAX = 100


class CompoundScopedFilterSet(WagtailFilterSet):
    """A listing filter set whose compound filter offers only the compounds the user reaches:
    as a list of their names when they are few, else as a name to look for (``<field>_name``).

    Either way one query, of ids and titles only; the listing itself is confined to the user's
    scope, so a name matches nothing beyond it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        policy = scope_policy_for(self._meta.model)
        name = policy.scope_field
        scope = self.filters.get(name)
        if scope is None or self.request is None:
            return
        scopes = policy.scopes_user_has_any_permission_for(self.request.user, ALL_ACTIONS)
        options = list(
            scopes.order_by("path").values_list("pk", "title")[: COMPOUND_CHOICES_MAX + 1]
        )
        if len(options) <= COMPOUND_CHOICES_MAX:
            self.filters[name] = django_filters.ChoiceFilter(
                field_name=name, label=scope.label, choices=options
            )
            return
        del self.filters[name]
        self.filters[f"{name}_name"] = django_filters.CharFilter(
            field_name=f"{name}__title", lookup_expr="icontains", label=f"{scope.label}名称"
        )


class CompoundScopedSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose every view is confined to the user's compounds (see module doc)."""

    chooser_viewset_class = CompoundScopedChooserViewSet
    copy_view_enabled = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if policy_registry.get_by_type(self.model, fallback=False) is None:
            register_permission_policy(self.model, scope_policy_for(self.model))
        for name in dir(type(self)):
            # The revert view is built from the edit view class, wrapped here too.
            if not name.endswith("_view_class") or name == "revisions_revert_view_class":
                continue
            view_class = getattr(self, name)
            if isinstance(view_class, type) and issubclass(view_class, View):
                setattr(self, name, scoped_view_class(view_class))  # type: ignore[arg-type]

    def get_queryset(self, request: Any) -> QuerySet:
        return self.model._default_manager.select_related(self.model.scope_field)


class CompoundScopedDeleteBulkAction(DeleteBulkAction):
    """Bulk delete of compound rows: ids outside the user's reach are not even listed."""

    @classproperty
    def models(cls) -> list[type]:
        return scoped_snippet_models()

    def get_queryset(self, model: type, object_ids: list[str]) -> list[Any]:
        reachable = scope_policy_for(model).instances_user_has_any_permission_for(
            self.request.user, ALL_ACTIONS
        )
        try:
            return get_list_or_404(reachable, pk__in=object_ids)
        except (ValueError, ValidationError) as malformed:
            raise Http404 from malformed
