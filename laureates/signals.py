"""Receivers of the moderation side's signals: a « lauréate » decision announced makes the
laureate's record (``services.create_from_decision``, exactly once)."""

from django.dispatch import receiver

from moderation.models import Decision
from moderation.signals import decision_announced

from .services import on_decision_announced


@receiver(decision_announced, sender=Decision, dispatch_uid="laureates_create_on_announce")
def decision_was_announced(sender, decision, user=None, **kwargs):
    on_decision_announced(decision, user=user)
