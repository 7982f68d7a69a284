"""The admin form for pages whose figures are checked against their inline rows."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import COMMENTS_RELATION_NAME

# Code of the model errors that compare a page's figures with its rows (see models.py).
ROWS_MISMATCH = "rows_mismatch"


class RowCheckedPageForm(WagtailAdminPageForm):
    """Puts the submitted rows on the page before the model's clean() runs.

    Django validates the page before its inline formsets, so without this the model would check
    the totals against the rows stored before the edit. The rules then live only on the model,
    where code that saves pages outside the admin meets them too.
    """

    def _post_clean(self) -> None:
        row_formsets = [
            formset for name, formset in self.formsets.items() if name != COMMENTS_RELATION_NAME
        ]
        rows_valid = all(formset.is_valid() for formset in row_formsets)
        if rows_valid:
            for formset in row_formsets:
                formset.save(commit=False)
        super()._post_clean()
        if not rows_valid:
            # The rows show their own errors; totals compared with stale rows would mislead.
            self._discard_errors(ROWS_MISMATCH)

    def _discard_errors(self, code: str) -> None:
        for field, errors in list(self._errors.items()):
            errors.data = [error for error in errors.data if getattr(error, "code", None) != code]
            if not errors.data:
                del self._errors[field]
