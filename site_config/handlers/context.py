"""What the handlers of one apply share, and the two ways config lets go of a row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType

from site_config.models import ManagedObject

if TYPE_CHECKING:
    from wagtail.models import Collection, Page

    from content_types.roles.models import RoleAssignment
    from site_config.plan import Change
    from site_config.schema import SiteConfig
    from site_config.state import State


@dataclass
class Context:
    """What the handlers of one apply build up: rows by key, and the work left for the end."""

    config: SiteConfig
    current: State
    pages: dict[str, Page] = field(default_factory=dict)
    collections: dict[str, Collection] = field(default_factory=dict)
    new_collection_scopes: list[int] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    tasks: dict[str, Any] = field(default_factory=dict)
    groups_to_sync: set[tuple[str, int]] = field(default_factory=set)
    new_roles: list[RoleAssignment] = field(default_factory=list)
    new_users: list[Any] = field(default_factory=list)
    new_pages: list[tuple[str, Page, Page]] = field(default_factory=list)  # kind, parent, page
    new_collections: list[Change] = field(default_factory=list)
    new_committees: dict[str, Any] = field(default_factory=dict)  # compound slug → committee
    marks: list[ManagedObject] = field(default_factory=list)
    declared_users: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        # Looked up once per new user: a scan of the list each time is quadratic.
        self.declared_users = {user.username: user for user in self.config.users}

    def mark(self, kind: str, key: str, obj: Any) -> None:
        self.marks.append(
            ManagedObject(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
                kind=kind,
                key=key,
            )
        )


def unpublish_and_release(change: Change, context: Context) -> None:
    """Content leaves config's hands offline and kept, never deleted."""
    obj = context.current.objects[change.kind][change.key]
    ManagedObject.objects.filter(kind=change.kind, key=change.key).delete()
    if getattr(obj, "live", False):
        obj.live = False
        obj.save(update_fields=["live"])


def delete_own(change: Change, context: Context) -> None:
    context.current.objects[change.kind][change.key].delete()
