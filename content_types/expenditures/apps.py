from django.apps import AppConfig


class ExpendituresConfig(AppConfig):
    name = "content_types.expenditures"
    label = "expenditures"
    verbose_name = "大额资金使用"
