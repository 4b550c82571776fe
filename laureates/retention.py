"""The laureates' contact data: kept while the laureate belongs to the network and for
``LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING`` months after it leaves (``left_at``),
then erased by ``manage.py purge_laureate_contacts`` (a periodic job), with a history entry
that says so without the erased data.

What is erased: the contact person, email, phone and address. What stays: the business, its
commune, région, QPV result, edition, award, payments, plan and history (what the network's
figures and the sponsor's reports need). The application's own purge (moderation/rgpd.py)
erases the application, never this record.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.rgpd import months_before

from .models import Actor, Laureate
from .services import write_history

CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone", "address")


def retention_months():
    return settings.LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING


def due_for_contact_erasure(now=None):
    """Laureates who left the network longer ago than the retention period, not erased yet."""
    cutoff = months_before(now or timezone.now(), retention_months())
    return Laureate.objects.filter(left_at__lt=cutoff, contact_erased_at__isnull=True).order_by("left_at", "pk")


def erase_contact(laureate, user=None, reason=""):
    """Erase the laureate's contact data and record it; False when already erased."""
    with transaction.atomic():
        locked = Laureate.objects.select_for_update().get(pk=laureate.pk)
        if locked.contact_erased_at is not None:
            return False
        for name in CONTACT_FIELDS:
            setattr(locked, name, "")
        locked.contact_erased_at = timezone.now()
        locked.save(update_fields=[*CONTACT_FIELDS, "contact_erased_at"])
        write_history(
            locked,
            _("Coordonnées effacées"),
            reason or _("Personne à contacter, courriel, téléphone et adresse effacés."),
            user=user,
            actor=Actor.EQUIPE if user else Actor.SYSTEME,
        )
    return True


def purge(now=None):
    """Erase every contact due; returns how many were erased."""
    reason = _(
        "Durée de conservation dépassée (%(months)s mois après la sortie du réseau) : personne à contacter, "
        "courriel, téléphone et adresse effacés."
    ) % {"months": retention_months()}
    return sum(erase_contact(laureate, reason=reason) for laureate in due_for_contact_erasure(now))
