from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "content_types.committees"
    label = "committees"
    verbose_name = "业主委员会"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.register()
