from django.apps import AppConfig


class SiteConfigConfig(AppConfig):
    name = "site_config"
    label = "site_config"
    verbose_name = "站点配置"
    default_auto_field = "django.db.models.BigAutoField"
