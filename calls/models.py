"""Calls for applications: the index (/appels/), the call pages with their form builder,
the applications (submissions) with their attachments, and the yearly reference counter.

Page models stay thin: the form is built in ``forms.py``, a submission is stored by
``submission.py``, emails are written by ``emails.py`` and sent by ``tasks.py``, the
public views live in ``views.py``.
https://docs.wagtail.org/en/stable/reference/contrib/forms/customisation.html
"""

import json
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from home.blocks import BaseStreamBlock
from home.models import BasePage
from stories.taxonomy import BusinessKind, Region

from . import field_types, qpv_check
from .admin_forms import CallPageAdminForm
from .attachments.kinds import KIND_CHOICES, format_size
from .attachments.storage import PrivateStorage
from .builder import CallFormBuilder
from .form_guard import safe_field_key
from .panels import QuestionCardPanel
from .panels import Select as CardSelect
from .repeatable import MAX_REPEATABLE_ENTRIES, table

# --- The index ------------------------------------------------------------------------


class CallState(models.TextChoices):
    UPCOMING = "upcoming", _("À venir")
    OPEN = "open", _("Ouvert")
    CLOSED = "closed", _("Clôturé")


def group_calls(calls, now=None):
    """Split ``calls`` (CallPage objects) by state, each group in the order a visitor needs.

    Open calls: the one closing soonest first. Upcoming: the one opening soonest first.
    Closed: the most recently closed first.
    """
    now = now or timezone.now()
    groups = {CallState.OPEN: [], CallState.UPCOMING: [], CallState.CLOSED: []}
    for call in calls:
        groups[call.state(now)].append(call)
    groups[CallState.OPEN].sort(key=lambda c: c.closes_at)
    groups[CallState.UPCOMING].sort(key=lambda c: c.opens_at)
    groups[CallState.CLOSED].sort(key=lambda c: c.closes_at, reverse=True)
    return {
        "open_calls": groups[CallState.OPEN],
        "upcoming_calls": groups[CallState.UPCOMING],
        "closed_calls": groups[CallState.CLOSED],
        "has_calls": any(groups.values()),
    }


class CallIndexPage(BasePage):
    """The calls for applications (/appels/): open calls first, then upcoming, then closed."""

    intro = models.TextField(_("chapeau"), max_length=600, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["calls.CallPage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des appels à candidatures")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        calls = CallPage.objects.child_of(self).live().public().order_by("closes_at")
        context.update(group_calls(calls))
        return context


# --- The form builder's fields ----------------------------------------------------------

# The types an editor picks from, declared once in field_types.py with everything each one
# does (its form field, the options the editor shows, how its answer is stored and read).
CALL_FIELD_CHOICES = field_types.choices()

# What a field is for: sets the browser's autocomplete token and tells which answer is
# the applicant's name, email, town or business name on the Application.
PURPOSE_CHOICES = (
    ("name", _("Nom et prénom de la personne à contacter")),
    ("email", _("Courriel de la personne à contacter")),
    ("tel", _("Téléphone")),
    ("organization", _("Nom du commerce")),
    ("address-level2", _("Commune")),
    ("postal-code", _("Code postal")),
    ("street-address", _("Adresse")),
)

# Which options of the field editor apply to which field types (``FieldType.options``): the
# call editor shows an option only for these types (calls/static/calls/field-options.js, given
# this dict through the type selector's data-qc-field-options attribute; without JavaScript
# every option shows), and CallFormField.clean() resets the options that do not apply.
FIELD_OPTIONS = field_types.editor_options()


def option_applies(option, field_type):
    """Whether the editor's ``option`` means something for ``field_type`` (an option that is
    not in FIELD_OPTIONS applies to every type)."""
    return option not in FIELD_OPTIONS or field_type in FIELD_OPTIONS[option]


def answer_counts(page_id, request=None):
    """``{field key: number of applications that answered it}`` for a call, computed once per
    request (the editor shows one notice per field)."""
    cache = getattr(request, "_qc_answer_counts", None) if request is not None else None
    if cache is not None and page_id in cache:
        return cache[page_id]
    counts = {}
    if page_id:
        for data in Application.objects.filter(page_id=page_id).values_list("form_data", flat=True).iterator():
            for key, answer in (data or {}).items():
                value = answer.get("value") if isinstance(answer, dict) else answer
                if value not in (None, "", [], {}):
                    counts[key] = counts.get(key, 0) + 1
    if request is not None:
        if cache is None:
            cache = {}
            request._qc_answer_counts = cache
        cache[page_id] = counts
    return counts


def answers_notice(count):
    return ngettext(
        "Ce champ a déjà %(count)s réponse : changer son type ou ses choix peut rendre les anciennes réponses "
        "illisibles ; elles restent affichées sous leur libellé d'origine.",
        "Ce champ a déjà %(count)s réponses : changer son type ou ses choix peut rendre les anciennes réponses "
        "illisibles ; elles restent affichées sous leur libellé d'origine.",
        count,
    ) % {"count": count}


class AnswersNoticePanel(Panel):
    """In the call editor, above a form field that already has answers: how many, and what
    changing its type or choices does to them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "calls/admin/answers_notice.html"

        @cached_property
        def count(self):
            field = self.instance
            if not getattr(field, "pk", None) or not field.clean_name:
                return 0
            return answer_counts(field.page_id, self.request).get(field.clean_name, 0)

        def is_shown(self):
            return self.count > 0

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["notice"] = answers_notice(self.count)
            return context


MB = 1024 * 1024


def max_size_help_text():
    """The cap on a file field's size, as the admin shows it under « taille maximale »."""
    return gettext("%(size)s au maximum (limite du serveur).") % {"size": format_size(settings.CALLS_MAX_UPLOAD_SIZE)}


class FileKindsField(models.JSONField):
    """A list of file kinds (codes of ``attachments.KINDS``), edited as checkboxes."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=KIND_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
        )


class ConditionMatchField(models.CharField):
    """« toutes les conditions » or « au moins une » (``conditions.ALL``/``ANY``), as radio
    buttons; an edit that does not send it (an older form) keeps « toutes »."""

    def formfield(self, **kwargs):
        return forms.TypedChoiceField(
            choices=self.choices,
            required=False,
            empty_value="all",
            initial="all",
            widget=forms.RadioSelect,
            label=self.verbose_name,
            help_text=self.help_text,
        )


def card_field(name, **kwargs):
    """A field of the question card (``calls.panels.QuestionCardPanel``), without Wagtail's
    comment button."""
    return FieldPanel(name, disable_comments=True, **kwargs)


def question_card(field_options=FIELD_OPTIONS):
    """The field editor's question card: every option of a form field, in one light card
    (calls/panels.py: the same panels, drawn without Wagtail's template chain per field; no
    comment button — Wagtail's comments script removes it inside inline children). The type
    selector carries ``field_options`` (``{option: [types]}``) for
    ``calls/static/calls/field-options.js``, which shows an option only for its types: a
    subclass adding an option of its own outside the card gives it here too (the laureates'
    report questions, ``kept_after_erasure``)."""
    return QuestionCardPanel(
        [
            card_field("label"),
            card_field("help_text"),
            card_field("required"),
            card_field(
                "field_type",
                classname="formbuilder-type",
                required_on_save=True,
                widget=CardSelect(attrs={"data-qc-field-options": json.dumps(field_options)}),
            ),
            card_field("purpose", widget=CardSelect),
            card_field("choices", classname="formbuilder-choices"),
            card_field("default_value", classname="formbuilder-default"),
            card_field("description"),
            MultiFieldPanel(
                [
                    card_field("allowed_kinds"),
                    FieldRowPanel(
                        [
                            # On the panel, not the model field: a model help text is frozen into
                            # migrations, and this one follows CALLS_MAX_UPLOAD_SIZE.
                            card_field("max_size_mb", help_text=lazy(max_size_help_text, str)()),
                            card_field("multiple_files"),
                        ]
                    ),
                ],
                heading=_("Fichiers"),
            ),
            MultiFieldPanel(
                [card_field("conditions"), card_field("condition_match")],
                heading=_("Question conditionnelle"),
            ),
            MultiFieldPanel(
                [
                    card_field("repeatable"),
                    FieldRowPanel([card_field("min_entries"), card_field("max_entries")]),
                    FieldRowPanel([card_field("entry_label"), card_field("entry_label_feminine")]),
                ],
                heading=_("Section répétable"),
            ),
        ]
    )


class BuiltFormField(AbstractFormField):
    """A field of a form built in the admin with the project's types and options: a call's
    form (``CallFormField``) and any other form built the same way (the laureates' reports),
    each subclass adding the ``ParentalKey`` to its form. ``CallFormBuilder`` takes either.

    Answers are stored under ``clean_name``, which Wagtail computes from the label once,
    at the first save, and never changes afterwards: renaming a label keeps old answers
    attached to their field. Each answer also records the label it was given under.
    """

    field_type = models.CharField(_("type de champ"), max_length=16, choices=CALL_FIELD_CHOICES)
    field_type.required_on_save = True
    purpose = models.CharField(
        _("donnée attendue"),
        max_length=32,
        choices=PURPOSE_CHOICES,
        blank=True,
        help_text=_(
            "Permet au téléphone du candidat de pré-remplir le champ, et retrouve le nom, le courriel "
            "et la commune de chaque candidature."
        ),
    )
    description = models.TextField(
        _("texte détaillé"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Consentement : ce qui est collecté, pourquoi et combien de temps. "
            "Titre de section : le texte d'introduction de la section."
        ),
    )
    allowed_kinds = FileKindsField(
        _("formats acceptés"), default=list, blank=True, help_text=_("Pour un champ « Fichier(s) à joindre ».")
    )
    max_size_mb = models.PositiveSmallIntegerField(
        _("taille maximale par fichier (Mo)"),
        default=5,
        # No upper bound here: it is the server's cap, a setting, checked in clean().
        validators=[MinValueValidator(1)],
    )
    multiple_files = models.BooleanField(
        _("plusieurs fichiers"), default=False, help_text=_("Autorise jusqu'à 5 fichiers dans ce champ.")
    )
    # Conditional questions (calls/conditions.py): checked against the fields placed before
    # when the page is saved (calls/admin_forms.py).
    conditions = models.TextField(
        _("afficher seulement si"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Une condition par ligne : le libellé d'une question placée plus haut, puis « est », « n'est pas » "
            "ou « contient », puis la réponse. Exemple : Forme juridique est Association. Sur un titre de "
            "section, la condition vaut pour toute la section. Vide : toujours affiché."
        ),
    )
    condition_match = ConditionMatchField(
        _("combinaison des conditions"),
        max_length=3,
        choices=[("all", _("toutes les conditions")), ("any", _("au moins une condition"))],
        default="all",
    )
    # A repeatable section: the fields up to the next section form one entry, which the
    # applicant adds as many times as needed (calls/forms.py, ``RepeatableGroup``).
    repeatable = models.BooleanField(
        _("section répétable"),
        default=False,
        help_text=_(
            "Pour un titre de section : le candidat ajoute autant d'entrées que nécessaire (partenaires, "
            "achats prévus) ; les champs jusqu'à la section suivante forment une entrée."
        ),
    )
    # Blank in the admin means the default (``fill_entry_bounds``): only sections use them.
    min_entries = models.PositiveSmallIntegerField(_("nombre minimum d'entrées"), default=0, blank=True)
    max_entries = models.PositiveSmallIntegerField(
        _("nombre maximum d'entrées"), default=5, blank=True, validators=[MinValueValidator(1)]
    )
    entry_label = models.CharField(
        _("nom d'une entrée"),
        max_length=60,
        blank=True,
        help_text=_(
            "Au singulier, par exemple « Partenaire » ou « Achat » : « Partenaire 2 », « Ajouter un partenaire »."
        ),
    )
    entry_label_feminine = models.BooleanField(
        _("nom féminin"), default=False, help_text=_("« Ajouter une personne » plutôt que « Ajouter un … ».")
    )

    panels = [question_card()]

    class Meta(AbstractFormField.Meta):
        abstract = True

    def get_field_clean_name(self):
        return safe_field_key(self.label)

    def fill_entry_bounds(self):
        if self.min_entries is None:
            self.min_entries = 0
        if self.max_entries is None:
            self.max_entries = 5

    def clean(self):
        super().clean()
        self.reset_options_that_do_not_apply()
        self.fill_entry_bounds()
        kind = field_types.get(self.field_type)
        if kind.files and not self.allowed_kinds:
            raise ValidationError({"allowed_kinds": _("Choisissez au moins un format de fichier.")})
        # The upload guard (calls/uploads.py) drops every file part over the server's cap
        # while the request is read: a field allowing more would promise what no applicant
        # can send. Only file fields: the others keep the default size, which they never use.
        if kind.files and self.max_size_mb and self.max_size_mb * MB > settings.CALLS_MAX_UPLOAD_SIZE:
            raise ValidationError(
                {
                    "max_size_mb": _("%(size)s au maximum : c'est la limite du serveur pour un fichier.")
                    % {"size": format_size(settings.CALLS_MAX_UPLOAD_SIZE)}
                }
            )
        if kind.editor_choices and not self.choices.strip():
            raise ValidationError({"choices": _("Indiquez les choix proposés, un par ligne.")})
        if "repeatable" in kind.options and self.repeatable:
            self.clean_repeatable()

    def clean_repeatable(self):
        errors = {}
        if self.max_entries is not None and self.max_entries > MAX_REPEATABLE_ENTRIES:
            errors["max_entries"] = _("%(max)s entrées au maximum.") % {"max": MAX_REPEATABLE_ENTRIES}
        elif self.min_entries is not None and self.max_entries is not None and self.min_entries > self.max_entries:
            errors["min_entries"] = _("Le minimum ne peut pas dépasser le maximum (%(max)s).") % {
                "max": self.max_entries
            }
        if not self.entry_label.strip():
            errors["entry_label"] = _("Indiquez le nom d'une entrée, par exemple « Partenaire ».")
        if errors:
            raise ValidationError(errors)

    def reset_options_that_do_not_apply(self):
        """An option hidden for this type (FIELD_OPTIONS) keeps no value: choices left on a
        field turned into a text, a size left on a field that is no longer a file…"""
        for option in FIELD_OPTIONS:
            if self.field_type and not option_applies(option, self.field_type):
                setattr(self, option, self._meta.get_field(option).get_default())

    def save(self, *args, **kwargs):
        self.fill_entry_bounds()
        # A consent must be given; a heading cannot be; the right to publish one's photos is
        # asked, never a condition of applying (a consent one cannot refuse is not free).
        forced = field_types.get(self.field_type).required
        if forced is not None:
            self.required = forced
        super().save(*args, **kwargs)


class CallFormField(BuiltFormField):
    """A field of a call's form."""

    page = ParentalKey("calls.CallPage", on_delete=models.CASCADE, related_name="form_fields")

    panels = [AnswersNoticePanel(), *BuiltFormField.panels]

    class Meta(AbstractFormField.Meta):
        verbose_name = _("champ du formulaire")
        verbose_name_plural = _("champs du formulaire")


def repeated_fields(fields):
    """The fields (in order) that belong to a repeatable section."""
    repeated, in_group = [], False
    for field in fields:
        if field_types.get(field.field_type).section:
            in_group = field.repeatable
        elif in_group:
            repeated.append(field)
    return repeated


def repeatable_problems(fields):
    """``[(field, message)]``: what is wrong with the repeatable sections of a form
    (``fields`` in order), in French: a file or a consent cannot be repeated, and a
    repeatable section needs fields."""
    problems, group, members = [], None, []

    def close():
        if group is not None and not members:
            message = gettext("La section répétable « %(section)s » ne contient aucun champ.")
            problems.append((group, message % {"section": group.label}))

    for field in fields:
        if field_types.get(field.field_type).section:
            close()
            group, members = (field, []) if field.repeatable else (None, [])
            if field.repeatable and (field.conditions or "").strip():
                message = gettext(
                    "La section répétable « %(section)s » ne peut pas être conditionnelle : placez la condition "
                    "sur une section non répétable juste avant, ou retirez-la."
                )
                problems.append((field, message % {"section": field.label}))
        elif group is not None:
            members.append(field)
            if (field.conditions or "").strip():
                message = gettext(
                    "Le champ « %(field)s » de la section répétable « %(section)s » ne peut pas être conditionnel."
                )
                problems.append((field, message % {"field": field.label, "section": group.label}))
            if not field_types.get(field.field_type).repeatable:
                problems.append(
                    (
                        field,
                        gettext(
                            "Le champ « %(field)s » (%(type)s) ne peut pas faire partie de la section répétable "
                            "« %(section)s » : placez-le avant elle ou après une nouvelle section."
                        )
                        % {"field": field.label, "type": field.get_field_type_display(), "section": group.label},
                    )
                )
    close()
    return problems


class CallPageEditForm(CallPageAdminForm):
    """The call's edit form: checks the repeatable sections against the fields that follow
    them, in the order the editor set (the inline's own check sees one field at a time)."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("form_fields")
        if formset is not None:
            check_repeatable_sections(self, formset)
        return cleaned


def ordered_forms(formset):
    """The inline forms of the fields kept (not deleted), cleaned, in the order the editor set."""
    formset.is_valid()  # cleans every child form
    kept = [
        child
        for child in formset.forms
        if getattr(child, "cleaned_data", None) and not child.cleaned_data.get("DELETE")
    ]
    kept.sort(key=lambda child: child.cleaned_data.get("ORDER") or 0)
    return kept


def check_repeatable_sections(form, formset):
    """The repeatable sections of a form built in the admin, checked against the fields that
    follow them in the order the editor set (the inline's own check sees one field at a
    time): each problem on its field's inline form, the first one on ``form``."""
    kept = ordered_forms(formset)
    by_instance = {id(child.instance): child for child in kept}
    problems = repeatable_problems([child.instance for child in kept])
    for field, message in problems:
        section = field_types.get(field.field_type).section
        by_instance[id(field)].add_error("repeatable" if section else "field_type", message)
    if problems:
        form.add_error(None, problems[0][1])


# --- The call page ------------------------------------------------------------------------


DEFAULT_CONFIRMATION_SUBJECT = "Votre candidature à Quartiers Cafés a bien été reçue"
DEFAULT_CONFIRMATION_BODY = (
    "Bonjour,\n\nNous avons bien reçu votre candidature et nous vous remercions de l'intérêt que vous "
    "portez à Quartiers Cafés. L'équipe l'étudiera après la clôture de l'appel et reviendra vers vous "
    "par courriel.\n\nGardez la référence ci-dessous : elle vous sera demandée si vous nous écrivez."
)


class CallCannotOpen(Exception):
    """Raised by ``CallPage.publish`` when the revision to publish is a call, open or to come,
    that lacks what it needs to open (``CallPage.missing_before_opening``)."""

    def __init__(self, page, missing):
        self.page = page
        self.missing = missing
        super().__init__(self.message())

    def message(self):
        return gettext("L'appel ne peut pas ouvrir : il manque %(missing)s.") % {"missing": " ; ".join(self.missing)}


class CallPage(AbstractEmailForm, BasePage):
    """A call for applications: its text, its window, its form built in the admin.

    The window (``opens_at``, ``closes_at``) is separate from publishing: a call can be
    published before it opens, and stays online after it closes. Submissions are served by
    ``views.serve_call_page``; the thank-you page is the ``merci/`` sub-route.
    """

    summary = models.TextField(_("résumé"), max_length=600, help_text=_("Montré dans la liste des appels."))
    opens_at = models.DateTimeField(_("ouverture des candidatures"), help_text=_("Heure de Paris."))
    closes_at = models.DateTimeField(_("clôture des candidatures"), help_text=_("Heure de Paris."))
    body = StreamField(
        BaseStreamBlock(),
        verbose_name=_("contenu"),
        blank=True,
        help_text=_("Critères d'éligibilité, accompagnement proposé, calendrier, questions fréquentes."),
    )
    thank_you_text = RichTextField(
        _("texte après l'envoi"),
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text=_("Montré au candidat avec sa référence, une fois la candidature enregistrée."),
    )
    confirmation_subject = models.CharField(
        _("objet du courriel de confirmation"), max_length=200, default=DEFAULT_CONFIRMATION_SUBJECT
    )
    confirmation_body = models.TextField(
        _("texte du courriel de confirmation"),
        max_length=3000,
        default=DEFAULT_CONFIRMATION_BODY,
        help_text=_("La référence et une copie des réponses sont ajoutées à la suite de ce texte."),
    )

    form_in_steps = models.BooleanField(
        _("formulaire en étapes"),
        default=True,
        help_text=_(
            "Chaque section du formulaire devient une étape (« Étape 2 sur 5 »), enregistrée comme brouillon "
            "quand le candidat passe à la suivante. Décoché, ou sans au moins deux sections, le formulaire "
            "reste d'un seul tenant."
        ),
    )

    qpv_max_distance_m = models.PositiveIntegerField(
        _("distance maximale au QPV (m)"),
        default=500,
        null=True,
        blank=True,
        help_text=_(
            "Un commerce plus loin que cette distance d'un QPV est signalé dans le récit du lauréat ; vide : 500 m."
        ),
    )

    envelope = models.DecimalField(
        _("enveloppe (€)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("L'enveloppe ne peut pas être négative."))],
        help_text=_("Le montant total à répartir entre les lauréats de cet appel, par exemple 625000."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Période de candidature")),
        FieldPanel("qpv_max_distance_m"),
        FieldPanel("envelope"),
        FieldPanel("body"),
    ]
    form_panels = [
        FormSubmissionsPanel(),
        FieldPanel("form_in_steps"),
        InlinePanel("form_fields", label=_("Champ du formulaire")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("confirmation_subject"), FieldPanel("confirmation_body")],
            heading=_("Courriel de confirmation au candidat"),
        ),
        # Edited here, stored by the moderation queue (moderation/models.py).
        InlinePanel("scoring_criteria", heading=_("Critères d'évaluation (notes de 0 à 5)"), label=_("Critère")),
        InlinePanel("decision_emails", heading=_("Courriels de décision"), label=_("Courriel"), max_num=2),
        InlinePanel(
            "region_targets",
            heading=_("Objectifs par région (facultatif)"),
            label=_("Objectif"),
            help_text=_("La part des lauréats visée dans une région ; le tableau de bord la compare aux résultats."),
        ),
        # The team's addresses receive every application's personal data: superusers only.
        MultiFieldPanel(
            [
                FieldPanel("to_address", permission="superuser"),
                FieldPanel("from_address", permission="superuser"),
                FieldPanel("subject", permission="superuser"),
            ],
            heading=_("Notification de l'équipe"),
            permission="superuser",
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Contenu")),
            ObjectList(form_panels, heading=_("Formulaire")),
            ObjectList(BasePage.promote_panels, heading=_("Promotion")),
            ObjectList(Page.settings_panels, heading=_("Paramètres")),
        ]
    )
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["calls.CallIndexPage"]
    subpage_types = []
    base_form_class = CallPageEditForm

    class Meta:
        verbose_name = _("appel à candidatures")
        verbose_name_plural = _("appels à candidatures")

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("La clôture doit être postérieure à l'ouverture.")})

    # --- opening ---

    def missing_before_opening(self, now=None):
        """What the call lacks before it can open, when it is open or to come (a closed call
        receives nothing: it may stay online as it is)."""
        if self.closes_at and self.closes_at <= (now or timezone.now()):
            return []
        return self.missing_for_opening()

    def publish(self, revision, *args, **kwargs):
        """Nothing makes an incomplete call live: the editor's publish button and the bulk
        action are refused earlier with a message (``wagtail_hooks.py``); this also holds for
        an approval through the moderation workflow and a scheduled publication."""
        missing = revision.as_object().missing_before_opening()
        if missing:
            raise CallCannotOpen(self, missing)
        return super().publish(revision, *args, **kwargs)

    def missing_for_opening(self):
        """What the call lacks before it can open, in French (empty: nothing). Read from the
        page as edited (its child relations in memory), so the editor's unsaved form counts:
        an email field, a consent field, scoring criteria, both decision texts."""
        fields = list(self.form_fields.all())
        # A field repeated in a section (a partner's address) is never the applicant's.
        repeated = set(map(id, repeated_fields(sorted(fields, key=lambda f: f.sort_order or 0))))
        missing = []
        emails = [f for f in fields if field_types.get(f.field_type).autocomplete == "email" or f.purpose == "email"]
        if not any(id(f) not in repeated for f in emails):
            missing.append(gettext("un champ « Courriel » pour écrire au candidat"))
        if not any(field_types.get(f.field_type).consent for f in fields):
            missing.append(gettext("un champ « Consentement (RGPD) »"))
        # Edited here, stored by the moderation queue (moderation/models.py).
        if not list(self.scoring_criteria.all()):
            missing.append(gettext("au moins un critère d'évaluation"))
        outcomes = {text.outcome for text in self.decision_emails.all() if text.subject.strip() and text.body.strip()}
        for outcome, label in (("laureate", gettext("lauréate")), ("non_retenue", gettext("non retenue"))):
            if outcome not in outcomes:
                missing.append(gettext("le courriel de décision « %(outcome)s »") % {"outcome": label})
        return missing

    # --- window ---

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return CallState.UPCOMING
        if now >= self.closes_at:
            return CallState.CLOSED
        return CallState.OPEN

    # --- form builder ---

    @cached_property
    def call_form_fields(self):
        return list(self.form_fields.all())

    def get_form_fields(self):
        return self.call_form_fields

    def get_form_class(self):
        return CallFormBuilder(self.get_form_fields()).get_form_class()

    def get_submission_class(self):
        return Application

    def get_data_fields(self):
        form_class = self.get_form_class()
        columns = [("reference", _("Référence")), ("submit_time", _("Date d'envoi"))]
        for kind, item in form_class.layout:
            if kind == "field":
                columns.append((item, form_class.field_models[item].label))
            elif kind == "group":  # a repeatable section: one column (its entries as text)
                columns.append((item.key, item.label))
        return columns

    def get_submissions(self):
        return Application.objects.filter(page=self, is_spam=False)

    # --- serving ---

    def route(self, request, path_components):
        if path_components == ["merci"] and self.live:
            return RouteResult(self, kwargs={"thanks": True})
        return super().route(request, path_components)

    def serve(self, request, *args, thanks=False, **kwargs):
        # Wagtail hands every request to the page model's serve(), while the views need the
        # models (the form, the submission): the one import cycle Wagtail's routing imposes.
        from . import views

        if thanks:
            return views.serve_thanks(self, request)
        return views.serve_call_page(self, request)

    def serve_preview(self, request, mode_name):
        from . import views  # see serve()

        if mode_name == "landing":
            return views.serve_thanks(self, request, preview=True)
        return views.serve_call_page(self, request, preview=True)

    def get_thanks_url(self, request=None):
        return self.get_url(request) + "merci/"


# --- Applications -----------------------------------------------------------------------


class Status(models.TextChoices):
    """Where an application stands. The moves between these states, who makes them and
    their history belong to the moderation side (``moderation/workflow.py``)."""

    RECUE = "recue", _("Reçue")
    EN_INSTRUCTION = "en_instruction", _("En instruction")
    INFORMATIONS_DEMANDEES = "informations_demandees", _("Informations demandées")
    PRESELECTIONNEE = "preselectionnee", _("Présélectionnée")
    LAUREATE = "laureate", _("Lauréate")
    NON_RETENUE = "non_retenue", _("Non retenue")
    RETIREE = "retiree", _("Retirée")


def status_label(code):
    """The label of a status code; an unknown code (from an old export) is shown as is."""
    try:
        return Status(code).label
    except ValueError:
        return code


class CheckReason(models.TextChoices):
    """Why an application, stored and sent on normally, is marked for the team to look at."""

    SAME_ADDRESS = (
        "same_address",
        _(
            "Plusieurs candidatures à cet appel sont arrivées de la même adresse réseau en peu de temps : "
            "un lieu partagé (centre social, association) ou un envoi automatisé."
        ),
    )


class QpvMethod(models.TextChoices):
    """How the QPV check of an application was made (empty: no address field)."""

    POINT = "point", _("adresse localisée")
    MAP = "carte", _("point placé sur la carte par le candidat")
    COMMUNE = "commune", _("commune seulement")
    NONE = "none", _("non vérifiée")


class Application(AbstractFormSubmission):
    """One application to a call: its answers, who sent it, and its reference.

    ``form_data`` maps each field's stable key (its ``clean_name``) to the label shown at
    the time, the answer as stored and the answer as displayed. The link to the page
    protects applications: a call that has some cannot be deleted.
    """

    page = models.ForeignKey(CallPage, verbose_name=_("appel"), on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(_("référence"), max_length=20, unique=True)
    idempotency_key = models.UUIDField(_("jeton d'envoi"), unique=True, default=uuid.uuid4, editable=False)
    applicant_name = models.CharField(_("nom du candidat"), max_length=255, blank=True)
    applicant_email = models.EmailField(_("courriel du candidat"), blank=True)
    business_name = models.CharField(_("nom du commerce"), max_length=255, blank=True)
    town = models.CharField(_("commune"), max_length=255, blank=True)
    region = models.CharField(_("région"), max_length=40, choices=Region.choices, blank=True)
    business_kind = models.CharField(_("type de commerce"), max_length=40, choices=BusinessKind.choices, blank=True)
    status = models.CharField(_("statut"), max_length=32, choices=Status.choices, default=Status.RECUE)
    is_spam = models.BooleanField(_("indésirable"), default=False)
    spam_reason = models.CharField(_("motif du classement en indésirable"), max_length=32, blank=True)
    # Not spam: past the soft submission limit (calls/submission.py) the application is kept
    # in the queue and emailed as usual, with this marker for a person to judge.
    needs_check = models.BooleanField(_("à vérifier"), default=False)
    check_reason = models.CharField(
        _("motif de la vérification"), max_length=32, choices=CheckReason.choices, blank=True
    )
    # The QPV check of the « Adresse » answer (calls/qpv_check.py), stored with the row.
    commune_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    qpv_method = models.CharField(_("vérification QPV"), max_length=10, choices=QpvMethod.choices, blank=True)
    qpv_code = models.CharField(_("code du QPV"), max_length=200, blank=True)
    qpv_name = models.CharField(_("nom du QPV"), max_length=500, blank=True)
    qpv_distance_m = models.PositiveIntegerField(_("distance au QPV (m)"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation envoyée le"), null=True, blank=True)
    notification_sent_at = models.DateTimeField(_("notification envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-submit_time"]
        indexes = [models.Index(fields=["page", "is_spam", "status"], name="calls_app_queue_idx")]

    def __str__(self):
        return self.reference

    def answers(self):
        """The answers in form order: dicts with key, label, type and display."""
        items = [{"key": key, **answer} for key, answer in (self.form_data or {}).items()]
        for item in items:
            if item.get("type") == "group":  # a repeatable section: headings, rows, totals
                item["table"] = table(item)
        # jsonb (PostgreSQL) sorts keys its own way; each answer carries its form position.
        return sorted(items, key=lambda answer: answer.get("position", len(items)))

    @property
    def qpv_text(self):
        """« dans le QPV … », « à 350 m du QPV … »: the stored check as a person reads it."""
        return qpv_check.describe(self)

    def get_data(self):
        data = {key: answer.get("display", "") for key, answer in (self.form_data or {}).items()}
        data.update(reference=self.reference, submit_time=self.submit_time)
        return data


class StoredFile(models.Model):
    """A file kept in the private storage under a UUID key, with the name, type and size
    the applicant's browser gave: an application's attachment, or a draft's file."""

    field_key = models.CharField(_("champ"), max_length=255)
    file = models.FileField(_("fichier"), storage=PrivateStorage(), max_length=255)
    display_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.display_name


class Attachment(StoredFile):
    """A file sent with an application, kept in the private storage under a UUID key."""

    application = models.ForeignKey(
        Application, verbose_name=_("candidature"), on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["pk"]


class ReferenceCounter(models.Model):
    """The last reference number given in a year (see ``references.py``)."""

    year = models.PositiveIntegerField(_("année"), primary_key=True)
    last_value = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("compteur de références")
        verbose_name_plural = _("compteurs de références")

    def __str__(self):
        return f"{self.year} : {self.last_value}"


# --- Drafts ---------------------------------------------------------------------------------


class Draft(models.Model):
    """An application being written: answers and accepted files, kept server-side.

    Not an application: no reference, no status, never in the moderation queue. ``email``
    is its owner (the applicant's space finds it by that address); a draft with no email
    yet lives only for the browser session that made it (``drafts.py``). An owner taken
    from the answers as the applicant moves through the steps is ``email_provisional``: it
    follows the answer (a typo can still be fixed) until « Enregistrer et reprendre plus
    tard » or a resume from the space fixes it. The draft reaches the owner's space only once
    the owner has opened the link emailed to that address (``email_confirmed_at``): anyone
    can type someone else's address. ``data`` holds
    the raw answers as the form posted them; the files are ``DraftFile`` rows in the
    private storage. See ``drafts.py``.
    """

    page = models.ForeignKey(CallPage, verbose_name=_("appel"), on_delete=models.CASCADE, related_name="drafts")
    email = models.EmailField(_("courriel du candidat"), blank=True, db_index=True)
    email_provisional = models.BooleanField(
        _("adresse provisoire"),
        default=False,
        help_text=_(
            "L'adresse vient d'un passage à l'étape suivante : elle suit la réponse du candidat tant qu'il n'a "
            "pas enregistré son brouillon ni repris celui-ci depuis son espace."
        ),
    )
    email_confirmed_at = models.DateTimeField(
        _("adresse confirmée le"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Le propriétaire a ouvert le lien envoyé à son adresse : seulement alors le brouillon apparaît dans "
            "son espace candidat."
        ),
    )
    # The resume link (drafts.resume_token): a random key signed with the draft's id, valid
    # from link_issued_at for CALLS_DRAFT_LINK_MAX_AGE_DAYS; a new key revokes the old link.
    link_key = models.CharField(_("clé du lien de reprise"), max_length=64, blank=True, editable=False)
    link_issued_at = models.DateTimeField(_("lien de reprise créé le"), null=True, blank=True, editable=False)
    data = models.JSONField(_("réponses"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("brouillon de candidature")
        verbose_name_plural = _("brouillons de candidature")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return f"brouillon {self.pk}"


class DraftFile(StoredFile):
    """A file of a draft that passed every check, kept in the private storage.

    On submission the stored file becomes the application's ``Attachment`` (same stored
    name, no copy); removing the file or discarding the draft deletes it from the storage.
    """

    draft = models.ForeignKey(Draft, verbose_name=_("brouillon"), on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = _("fichier d'un brouillon")
        verbose_name_plural = _("fichiers des brouillons")
        ordering = ["pk"]

    @property
    def size_display(self):
        return format_size(self.size)
