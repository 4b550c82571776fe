"""Keeps each application's search text in step with its answers, and tells the layers above
that a decision was announced (``decision_announced``)."""

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from calls.models import Application

from .search import update_search_entry

# Sent once per decision by ``announce.run_announcement``, inside the transaction that moves
# the application to its decision (so what a receiver writes is committed with the move or
# not at all); arguments: ``decision`` (a ``Decision``, ``announced_at`` set) and ``user``
# (who scheduled the announcement, or None). The laureates app makes the laureate's record.
decision_announced = Signal()


@receiver(post_save, sender=Application, dispatch_uid="moderation_update_search_entry")
def application_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    update_search_entry(instance)
