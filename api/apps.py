from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "公开接口"

    def ready(self) -> None:
        from . import configured_disclosures, memo

        memo.connect()
        configured_disclosures.connect()
