"""The laureates' contact data: kept while the laureate belongs to the network and for
``LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING`` months after it leaves (``left_at``),
then erased by ``manage.py purge_laureate_contacts`` (a periodic job), with a history entry
that says so without the erased data.

What is erased: the contact person, email, phone and address, and with them the personal data
of the laureate's reports (``progress_reports.erase_reports``: every answer but the figures the
form marks ``kept_after_erasure``, the report files and their stored files, the file names in
the history), and what the laureate wrote and sent with their milestones (``plan.erase_milestones``:
the texts, the files and their stored files, the texts and file names in the « Étape faite »
history entries), and the text of the team's notes on the laureate (``plan.erase_notes``: free
text often names the contact person). What stays: the business, its commune, région, QPV
result, edition, award, payments, the plan's milestones with their status and dates, each
team note's author and date (without its text), the history, and each report's row with its
date and kept figures (what the network's figures and the sponsor's reports need). The
application's own purge (moderation/rgpd.py) erases the application, never this record.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from moderation.rgpd import months_before

from .models import Actor, Laureate
from .plan import erase_milestones, erase_notes
from .progress_reports import erase_reports
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
        reports, files = erase_reports(locked)
        texts, milestone_files = erase_milestones(locked)
        notes = erase_notes(locked)
        detail = reason or _("Personne à contacter, courriel, téléphone et adresse effacés.")
        if texts or milestone_files:
            detail += " " + _(
                "Parcours : %(texts)s texte(s) d'étape effacé(s), %(files)s fichier(s) d'étape supprimé(s)."
            ) % {"texts": texts, "files": milestone_files}
        if notes:
            detail += " " + _(
                "Notes de l'équipe : %(notes)s texte(s) effacé(s), gardées avec leur auteur et leur date."
            ) % {"notes": notes}
        if reports:
            detail += " " + _(
                "Bilans : %(reports)s gardé(s) avec leur date et les chiffres marqués à garder, les autres réponses "
                "effacées, %(files)s fichier(s) supprimé(s)."
            ) % {"reports": reports, "files": files}
        write_history(
            locked,
            _("Coordonnées effacées"),
            detail,
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
