from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """The last time each background worker ran a periodic job.

    Beat sends a heartbeat every minute; the dashboard shows its age, so an
    office notices when background work (scheduled publishing, reminders)
    has stopped instead of finding out from a missed deadline.
    """

    worker = models.CharField("后台进程", max_length=200, unique=True)
    last_seen_at = models.DateTimeField("最近运行时间", default=timezone.now)
    beats = models.PositiveBigIntegerField("累计次数", default=0)

    class Meta:
        verbose_name = "后台任务心跳"
        verbose_name_plural = "后台任务心跳"
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.last_seen_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def latest(cls) -> WorkerHeartbeat | None:
        return cls.objects.order_by("-last_seen_at").first()
