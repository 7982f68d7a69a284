from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "workflows.chains"
    label = "chains"
    verbose_name = "审核流程"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.register()
