"""The moderation queue's data: scoring criteria and decision emails (edited on the call),
reviewer assignments, reviews and their scores, the append-only history, the link from a
laureate's application to its story, and the text the queue searches.

Every link to ``calls`` is a string reference (``"calls.Application"``): nothing here
imports ``calls.models``, and ``calls`` never imports this module at load time.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from calls.models import Status
from home.history import AppendOnlyError, AppendOnlyHistory  # noqa: F401 (AppendOnlyError: kept importable here)
from stories.taxonomy import Region

MAX_SCORE = 5


class ModerationRights(models.Model):
    """Holds the queue's permissions; it has no table.

    The permissions are given to the groups by this app's data migration; Wagtail's group
    editor lists them under « Permissions personnalisées ».
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("file de modération")
        permissions = [
            ("view_all_applications", _("Voir toutes les candidatures")),
            ("review_applications", _("Évaluer les candidatures qui lui sont assignées")),
            ("assign_reviewers", _("Assigner des évaluateurs")),
            ("decide_applications", _("Changer le statut des candidatures")),
            ("export_applications", _("Exporter les candidatures")),
            ("erase_applications", _("Effacer les données personnelles des candidats")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


# --- Edited on the call --------------------------------------------------------------


class ScoringCriterion(Orderable):
    """One criterion reviewers score from 0 to 5; the average is weighted."""

    page = ParentalKey("calls.CallPage", on_delete=models.CASCADE, related_name="scoring_criteria")
    label = models.CharField(_("critère"), max_length=200)
    description = models.TextField(
        _("ce qui est attendu"), max_length=1000, blank=True, help_text=_("Montré aux évaluateurs.")
    )
    weight = models.PositiveSmallIntegerField(
        _("poids"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("De 1 à 10 : un critère de poids 2 compte double dans la moyenne."),
    )

    levels = models.TextField(
        _("ce que veut dire chaque note"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Une ligne par note, par exemple « 0 : aucun lien avec le quartier » … « 5 : répond à un besoin "
            "essentiel ». Montré aux évaluateurs à côté de l'échelle."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("label"), FieldPanel("weight")]),
        FieldPanel("description"),
        FieldPanel("levels"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")

    def __str__(self):
        return self.label


class RegionTarget(Orderable):
    """An optional target per région: the share of the call's laureates the team aims at,
    shown against the actual shares on the dashboard."""

    page = ParentalKey("calls.CallPage", on_delete=models.CASCADE, related_name="region_targets")
    region = models.CharField(_("région"), max_length=40, choices=Region.choices)
    share = models.PositiveSmallIntegerField(
        _("part visée des lauréats (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    panels = [FieldRowPanel([FieldPanel("region"), FieldPanel("share")])]

    class Meta(Orderable.Meta):
        verbose_name = _("objectif par région")
        verbose_name_plural = _("objectifs par région")

    def __str__(self):
        return f"{self.get_region_display()} : {self.share} %"


class DecisionOutcome(models.TextChoices):
    LAUREATE = Status.LAUREATE.value, Status.LAUREATE.label
    NON_RETENUE = Status.NON_RETENUE.value, Status.NON_RETENUE.label


class DecisionEmail(Orderable):
    """The text sent to the applicant when the team decides (plain text)."""

    page = ParentalKey("calls.CallPage", on_delete=models.CASCADE, related_name="decision_emails")
    outcome = models.CharField(_("décision"), max_length=32, choices=DecisionOutcome.choices)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(
        _("texte"),
        max_length=5000,
        help_text=_("Texte brut. La référence de la candidature et le nom de l'appel sont ajoutés à la suite."),
    )

    panels = [FieldPanel("outcome"), FieldPanel("subject"), FieldPanel("body")]

    class Meta(Orderable.Meta):
        verbose_name = _("courriel de décision")
        verbose_name_plural = _("courriels de décision")

    def __str__(self):
        return f"{self.get_outcome_display()} : {self.subject}"


# --- Reviewers and reviews -------------------------------------------------------------


class Assignment(models.Model):
    application = models.ForeignKey(
        "calls.Application", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("évaluateur"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigné par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigné le"), default=timezone.now)

    class Meta:
        verbose_name = _("assignation")
        verbose_name_plural = _("assignations")
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="moderation_one_assignment_per_reviewer")
        ]

    def __str__(self):
        return f"{self.application_id} → {self.reviewer_id}"


class UnreadAnswer(models.Model):
    """An applicant's answer to a request for information that no moderator has opened yet:
    the queue marks the application « Réponse reçue » (column and filter) until a moderator
    opens its page. Written with the answer (``applicants.actions.answer``), one per application."""

    application = models.OneToOneField(
        "calls.Application", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="unread_answer"
    )
    received_at = models.DateTimeField(_("reçue le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse non lue")
        verbose_name_plural = _("réponses non lues")

    def __str__(self):
        return f"réponse non lue {self.application_id}"


class Recommendation(models.TextChoices):
    OUI = "oui", _("Oui")
    PEUT_ETRE = "peut_etre", _("Peut-être")
    NON = "non", _("Non")


class Review(models.Model):
    """A reviewer's review of one application: a conflict of interest, or scores."""

    application = models.ForeignKey(
        "calls.Application", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("évaluateur"), on_delete=models.CASCADE, related_name="reviews"
    )
    conflict_of_interest = models.BooleanField(_("conflit d'intérêts"), default=False)
    recommendation = models.CharField(_("avis"), max_length=16, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("commentaire"), max_length=4000, blank=True)
    weighted_score = models.DecimalField(
        _("note pondérée"), max_digits=4, decimal_places=2, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="moderation_one_review_per_reviewer")
        ]

    def __str__(self):
        return f"{self.application_id} / {self.reviewer_id}"

    @property
    def is_scored(self):
        return not self.conflict_of_interest and self.weighted_score is not None

    def compute_weighted_score(self, scores=None):
        """Σ(weight × score) / Σ(weight) over the scored criteria, to two decimals."""
        scores = list(self.scores.select_related("criterion")) if scores is None else scores
        total_weight = sum(score.criterion.weight for score in scores)
        if not total_weight:
            return None
        total = sum(Decimal(score.criterion.weight * score.value) for score in scores)
        return (total / total_weight).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScoringCriterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("note"), validators=[MaxValueValidator(MAX_SCORE)])

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="moderation_one_score_per_criterion"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=MAX_SCORE), name="moderation_score_0_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


# --- History --------------------------------------------------------------------------


class HistoryEntry(AppendOnlyHistory, models.Model):
    """One thing that happened to an application. Append-only: never changed, never deleted
    (``save`` refuses an update and ``delete`` refuses; no admin view edits it)."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Changement de statut")
        ASSIGNMENT = "assignment", _("Évaluateur assigné")
        UNASSIGNMENT = "unassignment", _("Évaluateur retiré")
        STORY = "story", _("Récit créé")
        DATA_EXPORT = "data_export", _("Export des données du candidat")
        ERASURE = "erasure", _("Effacement des données personnelles")
        APPLICANT_ANSWER = "applicant_answer", _("Réponse du candidat")
        DECISION_STAGED = "decision_staged", _("Décision préparée")
        DECISION_CANCELLED = "decision_cancelled", _("Décision préparée annulée")
        ANNOUNCEMENT = "announcement", _("Annonce programmée")
        EMAIL_SENT = "email_sent", _("Courriel envoyé")
        CONFLICT = "conflict", _("Conflit d'intérêts déclaré")
        CORRECTION_REQUEST = "correction_request", _("Demande de correction du candidat")

    application = models.ForeignKey(
        "calls.Application", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="history"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField(_("par (nom)"), max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(_("le"), default=timezone.now, editable=False)
    from_status = models.CharField(_("de"), max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=32, choices=Status.choices, blank=True)
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("entrée de l'historique")
        verbose_name_plural = _("historique")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "kind"], name="moderation_history_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


# --- Staged decisions and their announcement -------------------------------------------


class Announcement(models.Model):
    """The team announces a call's staged decisions together, now or at a set time.

    ``run_due_announcements`` (moderation/announce.py) applies the decisions and queues their
    emails once ``scheduled_for`` has passed; ``done_at`` marks it done."""

    page = models.ForeignKey(
        "calls.CallPage", verbose_name=_("appel"), on_delete=models.CASCADE, related_name="announcements"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    scheduled_for = models.DateTimeField(_("annonce le"))
    done_at = models.DateTimeField(_("annoncée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("annonce des décisions")
        verbose_name_plural = _("annonces des décisions")
        ordering = ["scheduled_for", "pk"]

    def __str__(self):
        return f"{self.page_id} @ {self.scheduled_for:%Y-%m-%d %H:%M}"


class Decision(models.Model):
    """« Lauréate » or « non retenue », staged by a moderator: the application keeps its
    status and nobody is told until the call's decisions are announced. Reversible (deleted)
    until then. ``email_sent_at`` is read and written under a row lock by the email task:
    each decision is emailed at most once, whatever retries the queue makes."""

    application = models.OneToOneField(
        "calls.Application", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("décision"), max_length=32, choices=DecisionOutcome.choices)
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    # The amount granted with a « lauréate » decision (euros), copied to the laureate's record.
    amount = models.DecimalField(_("montant accordé (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    staged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("préparée par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    staged_at = models.DateTimeField(_("préparée le"), default=timezone.now)
    announcement = models.ForeignKey(
        Announcement,
        verbose_name=_("annonce"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    announced_at = models.DateTimeField(_("annoncée le"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("courriel envoyé le"), null=True, blank=True)
    email_to = models.EmailField(_("courriel envoyé à"), blank=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["staged_at", "pk"]

    def __str__(self):
        return f"{self.application_id}: {self.outcome}"

    @property
    def is_announced(self):
        return self.announced_at is not None


# --- The applicant's rights ------------------------------------------------------------


class ErasureRequest(models.Model):
    """An applicant's request to erase their data, made from their space while a decision is
    pending (an application under review, a decision staged, a laureate): the team answers
    within a month (``moderation/rights.py``). One open request per address (a double click
    makes one); once carried out, the address is cleared when the applicant has been told,
    and the row keeps the dates and the references erased."""

    email = models.EmailField(_("courriel"), blank=True)
    requested_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    done_at = models.DateTimeField(_("effectuée le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    references = models.TextField(_("candidatures effacées"), blank=True)
    notified_at = models.DateTimeField(_("candidat prévenu le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande d'effacement")
        verbose_name_plural = _("demandes d'effacement")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=models.Q(done_at__isnull=True), name="one_open_erasure_request_per_email"
            )
        ]

    def __str__(self):
        return f"demande d'effacement {self.pk}"


# --- Links and search ------------------------------------------------------------------


class StoryLink(models.Model):
    """A laureate's application and the story page made from it (both ways:
    ``application.story_link.story`` and ``story.application_link.application``)."""

    application = models.OneToOneField(
        "calls.Application", verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="story_link"
    )
    story = models.OneToOneField(
        "stories.StoryPage", verbose_name=_("récit"), on_delete=models.CASCADE, related_name="application_link"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("récit d'un lauréat")
        verbose_name_plural = _("récits des lauréats")

    def __str__(self):
        return f"{self.application_id} → {self.story_id}"


class SearchEntry(models.Model):
    """The application's answers as one lower-case, accent-free text, for the queue's search
    (the JSON of ``form_data`` escapes accents on SQLite and holds labels and keys)."""

    application = models.OneToOneField(
        "calls.Application", on_delete=models.CASCADE, related_name="search_entry", primary_key=True
    )
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("texte indexé")
        verbose_name_plural = _("textes indexés")

    def __str__(self):
        return str(self.application_id)
