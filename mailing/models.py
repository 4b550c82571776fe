"""The « prévenez-moi du prochain appel » list: who asked, and which call email each got.

A ``Subscriber`` is an address with what it agreed to (the consent text as shown, its version,
the date), confirmed by an emailed link (double opt-in). ``unsubscribe_key`` is random and
secret: the unsubscribe link carries it signed with the row's id (``tokens.py``), never the
address. A ``CallOpening`` row says a call's opening was handled (once per call, whatever is
republished); a ``Delivery`` (call, subscriber) is one email, unique per pair, marked
``sent_at`` under a row lock (``tasks.py``).
"""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.models import CallPage
from stories.taxonomy import Region


def new_key():
    return secrets.token_urlsafe(24)


class Role(models.TextChoices):
    COMMERCE = "commerce", _("Commerce, café, restaurant, tiers-lieu")
    PARTENAIRE = "partenaire", _("Partenaire, collectivité, association")
    HABITANT = "habitant", _("Habitant ou habitante")
    PRESSE = "presse", _("Presse")


class Subscriber(models.Model):
    email = models.EmailField(_("adresse électronique"), max_length=254, unique=True)
    region = models.CharField(_("région"), max_length=40, choices=Region.choices, blank=True)
    role = models.CharField(_("vous êtes"), max_length=20, choices=Role.choices, blank=True)
    consent_text = models.TextField(_("texte du consentement"))
    consent_version = models.CharField(_("version du consentement"), max_length=20)
    consent_at = models.DateTimeField(_("date du consentement"))
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    # A new nonce per confirmation email: a link already used (or replaced) no longer matches.
    confirm_nonce = models.CharField(max_length=40, blank=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    unsubscribe_key = models.CharField(max_length=40, default=new_key, editable=False)
    created_at = models.DateTimeField(_("inscrite le"), default=timezone.now)
    last_renewed_at = models.DateTimeField(_("renouvelée le"), default=timezone.now)

    class Meta:
        verbose_name = _("inscription à la liste")
        verbose_name_plural = _("inscriptions à la liste")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["confirmed_at"]), models.Index(fields=["created_at"])]

    def __str__(self):
        return _("Inscription n° %(id)s") % {"id": self.pk}

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class CallOpening(models.Model):
    """A call whose opening was handled: its deliveries exist. One row per call, ever."""

    call = models.OneToOneField(CallPage, on_delete=models.CASCADE, related_name="mailing_opening")
    handled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ouverture d'appel annoncée")

    def __str__(self):
        return _("Ouverture de l'appel n° %(id)s") % {"id": self.call_id}


class Delivery(models.Model):
    call = models.ForeignKey(CallPage, on_delete=models.CASCADE, related_name="mailing_deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("envoi d'annonce")
        constraints = [models.UniqueConstraint(fields=["call", "subscriber"], name="mailing_one_delivery_per_call")]
        indexes = [models.Index(fields=["call", "sent_at"])]

    def __str__(self):
        return _("Envoi n° %(id)s") % {"id": self.pk}
