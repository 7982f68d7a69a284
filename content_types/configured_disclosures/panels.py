"""The admin panel for a configured kind's header fields and table, as its form built them."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.panels import Panel, TabbedInterface


class DeclaredTablePanel(Panel):
    """Renders the fields ``ConfiguredDisclosureForm`` adds from the kind's declaration."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("heading", "公示内容")
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "configured_disclosures/panels/declared_table.html"

        class Media:
            js = ["configured_disclosures/table_editor.js"]
            css = {"all": ["configured_disclosures/table_editor.css"]}

        def get_context_data(self, parent_context: Any = None) -> Any:
            context = super().get_context_data(parent_context)
            form = self.form
            context["kind"] = getattr(form, "kind", None)
            context["header_fields"] = [form[name] for name in getattr(form, "header_names", [])]
            context["table_field"] = form["table_rows"] if "table_rows" in form.fields else None
            return context


class DeclaredFieldsInterface(TabbedInterface):
    """The page's tabs, leaving the fields the declaration adds to ``DeclaredTablePanel``.

    Wagtail renders every form field no panel names once more, bare, below the tabs; a second
    ``table_rows`` would be the one the browser sends, so the table editor's rows were lost.
    """

    class BoundPanel(TabbedInterface.BoundPanel):
        def render_missing_fields(self) -> SafeString:
            claimed = {
                *self.panel.get_form_options().get("fields", []),
                *getattr(self.form, "declared_names", ()),
            }
            missing = [str(self.form[name]) for name in self.form.fields if name not in claimed]
            return mark_safe("".join(missing))  # noqa: S308 - the form's own rendered fields
