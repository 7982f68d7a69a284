"""Signals other apps listen to, so they follow a vote without the voting app knowing them."""

from django.dispatch import Signal

#: Sent inside ``services.finalise_vote``'s transaction with ``vote``, ``result`` and ``user``
#: once a vote's result is final; a receiver's failure undoes the finalising.
vote_finalised = Signal()

#: Sent inside ``rerun.rerun_vote``'s transaction with the new draft ``vote``, the ``previous``
#: vote it re-runs and ``user``; a receiver refuses with ``VotingError``, undoing the re-run.
vote_rerun = Signal()

#: Sent inside ``reminders.send_reminder``'s transaction with ``vote``, ``building`` (empty for
#: the whole compound), the published ``notice`` and ``user``, so those who pass the reminder
#: on to the owners are told.
vote_reminder_sent = Signal()
