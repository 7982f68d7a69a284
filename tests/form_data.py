"""What a browser would post from a form on a page, for tests that submit admin forms::

data = form_data(client.get(url).text, "page-edit-form")
data["action-submit"] = "submit"
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup


def form_data(html: str, form_id: str | None = None) -> dict[str, Any]:
    """Every field of the form (by id, else the page's first form) with its current value."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", id=form_id) if form_id else soup.find("form")
    data: dict[str, Any] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data
