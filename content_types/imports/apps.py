from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "content_types.imports"
    label = "imports"
    verbose_name = "Excel 导入"
