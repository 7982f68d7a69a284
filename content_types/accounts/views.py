"""The admin's account page, with a name field that fits Chinese names.

Wagtail's account page requires a first and a last name and an e-mail address. A Chinese
name is written whole (the site configuration keeps it in ``first_name``) and many accounts
have no e-mail, so on Wagtail's form nobody could save the page, and so nobody could change
a password there. Here the name is one field and the address is optional.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from wagtail.admin.views import account


class NameEmailForm(forms.ModelForm):
    first_name = forms.CharField(label="姓名", max_length=150)
    email = forms.EmailField(label="电子邮箱", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not account.email_management_enabled():
            del self.fields["email"]

    class Meta:
        model = get_user_model()
        fields = ["first_name", "email"]


class NameEmailSettingsPanel(account.NameEmailSettingsPanel):
    form_class = NameEmailForm


class AccountView(account.AccountView):
    def get_panels(self) -> list[Any]:
        return [
            NameEmailSettingsPanel(panel.request, panel.user, panel.profile)
            if isinstance(panel, account.NameEmailSettingsPanel)
            else panel
            for panel in super().get_panels()
        ]
