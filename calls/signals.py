"""Attachments leave the private storage with their row, once the deletion is committed."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .attachments.storage import delete_stored_files
from .models import Attachment


@receiver(post_delete, sender=Attachment, dispatch_uid="calls_delete_attachment_file")
def delete_attachment_file(sender, instance, **kwargs):
    # After the commit: a rolled-back deletion must not have lost the file.
    if instance.file.name:
        transaction.on_commit(partial(delete_stored_files, [instance.file.name]), robust=True)
