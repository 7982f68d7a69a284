from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "content_types.accounts"
    label = "accounts"
    verbose_name = "账号安全"

    def ready(self) -> None:
        from . import checks, signal_handlers  # noqa: F401 - checks register on import

        signal_handlers.register()
