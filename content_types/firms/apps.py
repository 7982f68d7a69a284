from django.apps import AppConfig


class FirmsConfig(AppConfig):
    name = "content_types.firms"
    label = "firms"
    verbose_name = "物业服务企业"
