from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "content_types.accounts"
    label = "accounts"
    verbose_name = "账号安全"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.register()
