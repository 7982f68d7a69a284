from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "content_types.reports"
    label = "reports"
    verbose_name = "工作报告"
