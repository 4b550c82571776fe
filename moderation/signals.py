"""Keeps each application's search text in step with its answers."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from calls.models import Application

from .search import update_search_entry


@receiver(post_save, sender=Application, dispatch_uid="moderation_update_search_entry")
def application_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    update_search_entry(instance)
