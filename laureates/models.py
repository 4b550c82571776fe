"""The laureates after the decision: the record of each laureate (business, territory,
contact, edition, award, story), its payments in tranches, its coaching plan (milestones set
per call, coaching areas, team notes) and its append-only history.

A record is made exactly once when a « lauréate » decision is announced
(``services.create_from_decision``, keyed on the application), or by hand for an edition
without applications here (2020). It outlives the application: the application's RGPD purge
sets ``application`` to NULL, the record keeps what the network needs, and the contact data
follow their own retention rule (``retention.py``).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calls.attachments.storage import PrivateStorage
from calls.fields import format_euros
from home.history import AppendOnlyError, AppendOnlyHistory  # noqa: F401 (AppendOnlyError: kept importable here)
from stories.taxonomy import BusinessKind, Region

MONEY = {"max_digits": 10, "decimal_places": 2}


class CoachingArea(models.Model):
    """An area of coaching a laureate follows (« Communication », « Recherche de
    financement » …): a snippet the team can extend."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("domaine d'accompagnement")
        verbose_name_plural = _("domaines d'accompagnement")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class LaureateQuerySet(models.QuerySet):
    def members(self):
        """The laureates still in the network (not left)."""
        return self.filter(left_at__isnull=True)

    def for_email(self, email):
        """The members whose contact address is ``email`` (case-insensitive)."""
        if not email:
            return self.none()
        return self.members().filter(contact_email__iexact=email.strip())


class Laureate(models.Model):
    """One laureate of one edition."""

    application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("candidature"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="laureate",
    )
    call = models.ForeignKey(
        "calls.CallPage",
        verbose_name=_("appel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="laureates",
    )
    edition = models.PositiveSmallIntegerField(_("édition"), help_text=_("L'année, par exemple 2020."))

    business_name = models.CharField(_("nom du commerce"), max_length=255)
    town = models.CharField(_("commune"), max_length=255)
    commune_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    region = models.CharField(_("région"), max_length=40, choices=Region.choices)
    business_kind = models.CharField(_("type de commerce"), max_length=40, choices=BusinessKind.choices, blank=True)
    qpv_summary = models.CharField(
        _("quartier prioritaire"),
        max_length=500,
        blank=True,
        help_text=_("Le résultat de la vérification en mots, par exemple « dans le QPV Les Francs-Moisins »."),
    )

    # Personal data: erased by the retention rule once the laureate has left the network.
    contact_name = models.CharField(_("personne à contacter"), max_length=255, blank=True)
    contact_email = models.EmailField(_("courriel"), blank=True, db_index=True)
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    address = models.CharField(_("adresse"), max_length=500, blank=True)

    amount_awarded = models.DecimalField(_("montant accordé (€)"), null=True, blank=True, **MONEY)
    story = models.ForeignKey(
        "stories.StoryPage", verbose_name=_("récit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    coaching_areas = models.ManyToManyField(CoachingArea, verbose_name=_("domaines d'accompagnement"), blank=True)

    joined_at = models.DateTimeField(_("entré dans le réseau le"), default=timezone.now)
    left_at = models.DateTimeField(_("sorti du réseau le"), null=True, blank=True)
    contact_erased_at = models.DateTimeField(_("coordonnées effacées le"), null=True, blank=True)

    created_at = models.DateTimeField(_("créé le"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LaureateQuerySet.as_manager()

    class Meta:
        verbose_name = _("lauréat")
        verbose_name_plural = _("lauréats")
        ordering = ["-edition", "business_name", "pk"]
        indexes = [models.Index(fields=["edition", "region"], name="laureates_edition_region_idx")]
        permissions = [
            ("record_payments", _("Enregistrer les versements des lauréats")),
            ("erase_laureate_contacts", _("Effacer les coordonnées des lauréats sortis du réseau")),
        ]

    def __str__(self):
        return f"{self.business_name} ({self.edition})"

    @property
    def is_member(self):
        return self.left_at is None

    @property
    def amount_display(self):
        """« 12 500,00 € », or « — » when no amount is recorded yet."""
        return format_euros(self.amount_awarded) if self.amount_awarded is not None else "—"

    @property
    def member_display(self):
        return _("Oui") if self.left_at is None else _("Sorti")


class PaymentStatus(models.TextChoices):
    PREVU = "prevu", _("Prévu")
    PAYE = "paye", _("Payé")
    ANNULE = "annule", _("Annulé")


class Payment(models.Model):
    """One tranche of a laureate's award."""

    laureate = models.ForeignKey(Laureate, verbose_name=_("lauréat"), on_delete=models.CASCADE, related_name="payments")
    label = models.CharField(
        _("tranche"), max_length=120, blank=True, help_text=_("Par exemple « Premier versement ».")
    )
    planned_on = models.DateField(_("date prévue"))
    amount = models.DecimalField(_("montant (€)"), **MONEY)
    paid_on = models.DateField(_("versé le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PREVU)
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["planned_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="laureates_payment_positive")]

    def __str__(self):
        return f"{self.label or self.planned_on} : {self.amount} €"


class MilestoneTemplate(models.Model):
    """A milestone of the coaching plan, set per call (« Signature de la convention »,
    « Travaux », « Ouverture », « Bilan à 6 mois »): copied to each laureate of the call."""

    call = models.ForeignKey("calls.CallPage", verbose_name=_("appel"), on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("étape"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    days_after_award = models.PositiveSmallIntegerField(_("échéance (jours après la décision)"), null=True, blank=True)
    is_opening = models.BooleanField(
        _("étape d'ouverture"), default=False, help_text=_("Une fois faite, le récit du lauréat passe à « Ouvert ».")
    )

    class Meta:
        verbose_name = _("étape type")
        verbose_name_plural = _("étapes types")
        ordering = ["call", "sort_order", "pk"]

    def __str__(self):
        return self.label


class MilestoneStatus(models.TextChoices):
    A_FAIRE = "a_faire", _("À faire")
    FAIT = "fait", _("Fait")


class Milestone(models.Model):
    """A milestone of one laureate's coaching plan."""

    laureate = models.ForeignKey(
        Laureate, verbose_name=_("lauréat"), on_delete=models.CASCADE, related_name="milestones"
    )
    label = models.CharField(_("étape"), max_length=200)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.A_FAIRE
    )
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    done_text = models.TextField(_("ce qui a été fait"), blank=True, validators=[MaxLengthValidator(2000)])
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_opening = models.BooleanField(_("étape d'ouverture"), default=False)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["laureate", "sort_order", "pk"]

    def __str__(self):
        return self.label


def milestone_file_name(instance, filename):
    """A UUID key under ``laureates/``: the name the laureate gave stays in ``original_name``."""
    return f"laureates/{uuid.uuid4().hex}"


class MilestoneFile(models.Model):
    """A file sent with a milestone marked done, kept in the private storage."""

    milestone = models.ForeignKey(Milestone, verbose_name=_("étape"), on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("fichier"), storage=PrivateStorage(), upload_to=milestone_file_name, max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    uploaded_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("fichier d'une étape")
        verbose_name_plural = _("fichiers des étapes")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class TeamNote(models.Model):
    """A note of the team about a laureate: never shown to the laureate."""

    laureate = models.ForeignKey(Laureate, verbose_name=_("lauréat"), on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"), validators=[MaxLengthValidator(4000)])
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        verbose_name = _("note de l'équipe")
        verbose_name_plural = _("notes de l'équipe")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:60]


class Actor(models.TextChoices):
    EQUIPE = "equipe", _("Équipe")
    LAUREAT = "laureat", _("Lauréat")
    SYSTEME = "systeme", _("Automatique")


class LaureateHistoryEntry(AppendOnlyHistory, models.Model):
    """One thing that happened to a laureate's record, by whom and when. Append-only: never
    changed, never deleted (``save`` refuses an update, ``delete`` refuses)."""

    laureate = models.ForeignKey(Laureate, verbose_name=_("lauréat"), on_delete=models.CASCADE, related_name="history")
    created_at = models.DateTimeField(_("le"), default=timezone.now, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField(_("par (nom)"), max_length=255, blank=True, editable=False)
    actor = models.CharField(_("acteur"), max_length=10, choices=Actor.choices, default=Actor.EQUIPE)
    action = models.CharField(_("action"), max_length=120)
    detail = models.TextField(_("détail"), blank=True)

    class Meta:
        verbose_name = _("entrée de l'historique du lauréat")
        verbose_name_plural = _("historique des lauréats")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action} ({self.created_at:%Y-%m-%d %H:%M})"
