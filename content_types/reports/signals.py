"""Sent when a report moves and when the worker finds a report overdue.

The notification outbox lives in ``workflows``, a layer above: it listens here and tells the
people who must act next (``report_moved``: report, action, actor, comment;
``report_overdue``: due, today).
"""

from django.dispatch import Signal

report_moved = Signal()
report_overdue = Signal()
