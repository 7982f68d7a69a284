from django.apps import AppConfig


class SiteConfigConfig(AppConfig):
    name = "site_config"
    label = "site_config"
    verbose_name = "站点配置"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The API's community screens read the dues by the same rule as the dashboard.
        from api.disclosure_dues import register_due_lookup  # noqa: PLC0415 - apps are ready now

        from .schedules import dues  # noqa: PLC0415 - models are loaded now

        register_due_lookup(dues)
