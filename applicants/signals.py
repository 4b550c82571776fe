"""A draft saved with an address (calls/drafts.py) gets its link to resume by email; an
address that erasure or the retention purge left without application or draft
(moderation/rgpd.py) loses its sign-in account."""

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from calls.drafts import draft_saved
from calls.models import Draft
from moderation.rgpd import personal_data_erased

from .models import ApplicantAccount
from .tasks import enqueue_draft_link


@receiver(draft_saved, dispatch_uid="applicants_draft_link")
def email_the_draft_link(sender, draft_id, **kwargs):
    draft = Draft.objects.filter(pk=draft_id).exclude(email="").first()
    if draft is None:
        return
    with transaction.atomic():
        account, _created = ApplicantAccount.objects.select_for_update().get_or_create(email=draft.email.lower())
        # One link per address per interval: saving ten times in a minute sends one email.
        if account.link_sent_at and (
            (timezone.now() - account.link_sent_at).total_seconds() < settings.APPLICANTS_LINK_MIN_INTERVAL
        ):
            return
        ApplicantAccount.objects.filter(pk=account.pk).update(link_sent_at=timezone.now())
    enqueue_draft_link(account.pk, draft.pk)


@receiver(personal_data_erased, dispatch_uid="applicants_forget_orphan_accounts")
def forget_orphan_accounts(sender, **kwargs):
    ApplicantAccount.objects.orphans().delete()
