from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "content_types.evaluations"
    label = "evaluations"
    verbose_name = "物业服务测评"
