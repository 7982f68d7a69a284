"""Signals other apps listen to, so they follow a vote without the voting app knowing them."""

from django.dispatch import Signal

#: Sent inside ``services.finalise_vote``'s transaction with ``vote``, ``result`` and ``user``
#: once a vote's result is final; a receiver's failure undoes the finalising.
vote_finalised = Signal()
