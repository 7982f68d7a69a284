from django.apps import AppConfig


class ChainsConfig(AppConfig):
    name = "workflows.chains"
    label = "chains"
    verbose_name = "审核流程"

    def ready(self) -> None:
        from core.amount_tiers import register_tier_lookup

        from . import signal_handlers
        from .rules import ChainRule

        signal_handlers.register()
        register_tier_lookup(ChainRule.objects.workflow_for)
