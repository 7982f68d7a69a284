"""Admin for joint meetings, scoped by compound."""

from __future__ import annotations

from wagtail.snippets.models import register_snippet

from content_types.roles.viewsets import CompoundScopedSnippetViewSet

from .filters import JointMeetingFilterSet
from .models import JointMeeting


class JointMeetingViewSet(CompoundScopedSnippetViewSet):
    model = JointMeeting
    icon = "calendar"
    menu_label = "三方联席会议"
    menu_order = 230
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["__str__", "compound", "date", "agenda"]
    inspect_view_fields = [
        "compound",
        "date",
        "community_attendees",
        "committee_attendees",
        "firm_attendees",
        "agenda",
        "minutes",
        "decisions",
    ]
    filterset_class = JointMeetingFilterSet
    search_fields = ["agenda", "minutes", "decisions", "compound__title"]
    search_backend_name = None


register_snippet(JointMeetingViewSet)
