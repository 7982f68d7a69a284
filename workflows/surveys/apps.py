from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "workflows.surveys"
    label = "surveys"
    verbose_name = "物业满意度测评"
