"""Admin views for committees beyond Wagtail's generic ones."""

from __future__ import annotations

from typing import Any

from wagtail.snippets.views.snippets import InspectView


class OwnersCommitteeInspectView(InspectView):
    """Shows the roster and the committee's measures against the policy targets."""

    labels = {
        "members": "委员",
        "party_member_summary": "党员/委员（占比）",
        "untrained_member_count": "今年未参加培训人数",
    }

    def get_field_label(self, field_name: str, field: Any) -> str:
        return self.labels.get(field_name) or super().get_field_label(field_name, field)
