from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "content_types.roles"
    label = "roles"
    verbose_name = "角色与范围"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.register()
