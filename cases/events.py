"""What happened to a case, for the parts of the product that act on it (deliveries, tasks,
notifications, webhooks). Each signal is sent once the change is committed, never from
inside the transaction that made it, so a receiver sees the change and its failure cannot
undo it.

Every signal is sent with ``sender`` the model class and these keyword arguments:

- ``certification_signed``: ``determination`` (its first signed version on the case, or a
  new version after a rescission).
- ``certification_amended``: ``determination`` (the signed amendment) and ``superseded``
  (the version it replaced).
- ``certification_rescinded``: ``determination`` (the rescinded version) and ``by``.
- ``dispute_recorded``: ``dispute``.
- ``record_added``: ``case``, ``record`` (the new row) and ``by`` (who added it).
- ``report_downloaded``: ``report`` (the ``IssuedReport`` handed over) and ``by`` (who
  downloaded it, from a page or the API).
"""

from django.db import transaction
from django.dispatch import Signal

certification_signed = Signal()
certification_amended = Signal()
certification_rescinded = Signal()
dispute_recorded = Signal()
record_added = Signal()
report_downloaded = Signal()


def send_on_commit(signal: Signal, sender: type, **kwargs: object) -> None:
    """Send ``signal`` once the current transaction commits (at once outside one). A receiver
    that fails is logged by Django and does not stop the others."""
    transaction.on_commit(lambda: signal.send_robust(sender=sender, **kwargs), robust=True)
