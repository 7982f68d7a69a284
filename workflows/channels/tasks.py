"""The worker's part in channels (found by Celery's autodiscovery): see ``delivery``."""

from .delivery import (
    delete_old_channel_messages,
    deliver_channel_messages,
    send_due_channel_messages,
)

__all__ = [
    "deliver_channel_messages",
    "delete_old_channel_messages",
    "send_due_channel_messages",
]
