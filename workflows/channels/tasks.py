"""The worker's part in channels (found by Celery's autodiscovery): see ``delivery``."""

from .delivery import deliver_channel_messages, send_due_channel_messages

__all__ = ["deliver_channel_messages", "send_due_channel_messages"]
