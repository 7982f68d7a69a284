"""Sent after each step of a case is saved, with the case and the ``CaseStep``.

The notification outbox lives in ``workflows``, a layer above: it listens here and tells the
people who must act next.
"""

from django.dispatch import Signal

case_moved = Signal()
