"""An applicant's sign-in record: an email address, nothing else about the person.

It is not a Django user (applicants never reach the admin): django-sesame signs tokens for
it (``applicants/auth.py``). ``password`` is never a password: a random value changed at
each new link, so that a newer link revokes the older ones (sesame puts it in the
signature); ``last_login`` changes at each sign-in, so that a link works once.
"""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from calls.models import Application, Draft


class AccountQuerySet(models.QuerySet):
    def orphans(self):
        """Accounts whose address no application (erased ones hold none) and no draft holds:
        nothing left to sign in to, so nothing to keep (retention, moderation/rgpd.py)."""
        return self.filter(
            ~Exists(Application.objects.filter(applicant_email__iexact=OuterRef("email"))),
            ~Exists(Draft.objects.filter(email__iexact=OuterRef("email"))),
        )


class ApplicantAccount(models.Model):
    email = models.EmailField(_("courriel"), unique=True)
    password = models.CharField(_("clé de révocation des liens"), max_length=64, editable=False)
    last_login = models.DateTimeField(_("dernière connexion"), null=True, blank=True, editable=False)
    link_sent_at = models.DateTimeField(_("dernier lien envoyé le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("compte candidat")
        verbose_name_plural = _("comptes candidats")

    def __str__(self):
        return f"compte {self.pk}"

    @staticmethod
    def get_email_field_name():
        return "email"


class LinkRequest(models.Model):
    """A request for a sign-in link, waiting for the task queue (``tasks.handle_link_request``).

    The sign-in form stores one for every valid address, known or not, and queues its id:
    the request does the same work either way, so its timing does not tell whether an
    address is known. The address stays out of the task queue (only this row's id goes
    there) and the row is deleted as soon as the task reads it.
    """

    email = models.EmailField(_("courriel"))
    next_path = models.CharField(_("page après la connexion"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("demande de lien de connexion")
        verbose_name_plural = _("demandes de lien de connexion")

    def __str__(self):
        return f"demande {self.pk}"
