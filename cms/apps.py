from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "微治平台"

    def ready(self) -> None:
        # The embedded broker keeps its queue in folders that must exist
        # before the first message is sent, by the web process or the worker.
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
                folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get(key)
                if folder:
                    Path(str(folder)).mkdir(parents=True, exist_ok=True)
