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
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel

from calls import field_types
from calls.attachments.storage import PrivateStorage
from calls.fields import format_euros
from calls.models import FIELD_OPTIONS, BuiltFormField, question_card
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


# --- The periodic report (« bilan ») ---------------------------------------------------------


class ReportForm(ClusterableModel):
    """A report the laureates of a call send from their space (« Bilan à 6 mois »): its
    questions are built like a call's form (``ReportFormField``: the same types, conditions
    and repeatable sections, ``calls.builder.CallFormBuilder``)."""

    call = models.ForeignKey("calls.CallPage", verbose_name=_("appel"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("titre"), max_length=200, help_text=_("Par exemple « Bilan à 6 mois »."))
    introduction = models.TextField(
        _("introduction"), blank=True, max_length=2000, help_text=_("Montrée au lauréat au-dessus des questions.")
    )
    is_open = models.BooleanField(
        _("ouvert"),
        default=True,
        help_text=_("Décoché : les lauréats voient le bilan mais ne peuvent plus l'envoyer."),
    )
    due_on = models.DateField(
        _("à envoyer au plus tard le"),
        null=True,
        blank=True,
        help_text=_(
            "Les lauréats de l'appel qui ne l'ont pas encore envoyé reçoivent un rappel par courriel quelques "
            "jours avant. Vide : pas de date ni de rappel."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("call"),
        FieldPanel("title"),
        FieldPanel("introduction"),
        FieldPanel("due_on"),
        FieldPanel("is_open"),
        FieldPanel("sort_order"),
        InlinePanel("form_fields", label=_("Questions du bilan")),
    ]

    class Meta:
        verbose_name = _("formulaire de bilan")
        verbose_name_plural = _("formulaires de bilan")
        ordering = ["call", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "title"], name="laureates_reportform_unique_title")]

    def __str__(self):
        return f"{self.title} ({self.call})" if self.call_id else self.title


def kept_after_erasure_allowed(kind):
    """A question whose answer may stay once the laureate's contact data is erased: a number,
    an amount, a yes/no or a pick among the editor's (or a taxonomy's) choices. Never a text,
    a file, a phone, an address, an identifier or a consent: those can carry personal data."""
    if kind.files or kind.layout or kind.keeps_text or kind.identifier:
        return False
    return kind.numeric or kind.boolean or kind.choice


# The types whose answer may be kept: the editor shows « Chiffre gardé après l'effacement » for
# these only (calls/static/calls/field-options.js, through the type selector, like the call
# editor's options); without JavaScript the box shows for every type and ``clean`` refuses it.
KEPT_AFTER_ERASURE_TYPES = [kind.name for kind in field_types.TYPES if kept_after_erasure_allowed(kind)]


class ReportFormField(BuiltFormField):
    """A question of a report form: every type, option and condition of a call's form, and
    whether its answer is a figure kept after the contact data's erasure (``retention.py``)."""

    report_form = ParentalKey(ReportForm, on_delete=models.CASCADE, related_name="form_fields")
    kept_after_erasure = models.BooleanField(
        _("chiffre gardé après l'effacement"),
        default=False,
        help_text=_(
            "Pour un nombre, un montant, un Oui / Non ou un choix hors section répétable : la réponse reste "
            "quand les coordonnées du lauréat sont effacées (pour le bilan du programme). Les autres réponses "
            "et les fichiers sont effacés."
        ),
    )

    panels = [
        question_card({**FIELD_OPTIONS, "kept_after_erasure": KEPT_AFTER_ERASURE_TYPES}),
        FieldPanel("kept_after_erasure"),
    ]

    class Meta(BuiltFormField.Meta):
        verbose_name = _("question du bilan")
        verbose_name_plural = _("questions du bilan")

    def clean(self):
        super().clean()
        if self.kept_after_erasure and not kept_after_erasure_allowed(field_types.get(self.field_type)):
            raise ValidationError(
                {
                    "kept_after_erasure": _(
                        "Seuls un nombre, un montant, un Oui / Non ou un choix peuvent être gardés après "
                        "l'effacement : cette réponse peut contenir des données personnelles."
                    )
                }
            )


class Report(models.Model):
    """A report sent by a laureate: the answers stored like an application's (label, type,
    position, value, display per answer). One per laureate and report form."""

    laureate = models.ForeignKey(Laureate, verbose_name=_("lauréat"), on_delete=models.CASCADE, related_name="reports")
    report_form = models.ForeignKey(
        ReportForm, verbose_name=_("formulaire de bilan"), on_delete=models.PROTECT, related_name="reports"
    )
    answers = models.JSONField(_("réponses"), default=dict)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("bilan")
        verbose_name_plural = _("bilans")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["laureate", "report_form"], name="laureates_report_once_per_form")
        ]

    def __str__(self):
        return f"{self.report_form.title} – {self.laureate.business_name}"

    # What moderation.export's helpers read of an application (its answers' cells, the sheets
    # of repeatable sections): the same names here.
    @property
    def form_data(self):
        return self.answers

    @property
    def submit_time(self):
        return self.sent_at

    @property
    def reference(self):
        return self.laureate.business_name

    def ordered_answers(self):
        """The stored answers in the form's order (jsonb does not keep key order)."""
        items = [(key, answer) for key, answer in (self.answers or {}).items() if isinstance(answer, dict)]
        return sorted(items, key=lambda item: item[1].get("position", 0))


class ReportFile(models.Model):
    """A file sent with a report, in the private storage under ``laureates/``."""

    report = models.ForeignKey(Report, verbose_name=_("bilan"), on_delete=models.CASCADE, related_name="files")
    field_key = models.CharField(_("question"), max_length=255)
    file = models.FileField(_("fichier"), storage=PrivateStorage(), upload_to=milestone_file_name, max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))

    class Meta:
        verbose_name = _("fichier d'un bilan")
        verbose_name_plural = _("fichiers des bilans")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class ReportReminder(models.Model):
    """The claim of the one reminder a laureate gets before a report form's due date
    (``reminders.remind_reports``): unique per laureate and form, written before the email is
    queued; ``sent_at`` set by the task once the email is sent."""

    laureate = models.ForeignKey(Laureate, verbose_name=_("lauréat"), on_delete=models.CASCADE, related_name="+")
    report_form = models.ForeignKey(
        ReportForm, verbose_name=_("formulaire de bilan"), on_delete=models.CASCADE, related_name="reminders"
    )
    created_at = models.DateTimeField(_("prévu le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rappel de bilan")
        verbose_name_plural = _("rappels de bilan")
        constraints = [
            models.UniqueConstraint(fields=["laureate", "report_form"], name="laureates_report_reminder_once")
        ]

    def __str__(self):
        return f"{self.report_form_id} – {self.laureate_id}"


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
