"""The Celery app: one instance, configured from Django settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

app = Celery("weizhi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
