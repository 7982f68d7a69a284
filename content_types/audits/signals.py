"""Sent when the worker opens an audit, with the ``Audit``.

The notification outbox lives in ``workflows``, a layer above: it listens here and tells the
community office that an audit of one of its committees is due.
"""

from django.dispatch import Signal

audit_opened = Signal()
