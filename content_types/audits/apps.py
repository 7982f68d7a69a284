from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "content_types.audits"
    label = "audits"
    verbose_name = "审计"
