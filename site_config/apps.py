from django.apps import AppConfig


class SiteConfigConfig(AppConfig):
    name = "site_config"
    label = "site_config"
    verbose_name = "站点配置"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from content_types.cases.routing import register_group_lookup

        from .case_routing import working_group_for

        register_group_lookup(working_group_for)
