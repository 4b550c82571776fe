"""The laureates' stories: the index (/laureats/), the story pages and the Theme snippet.

Page models stay thin (fields, panels, search fields, ``get_context``); listing, facets,
related stories and structured data live in plain modules (``filters.py``, ``related.py``,
``structured_data.py``).
https://docs.wagtail.org/en/stable/topics/pages.html
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import BaseStreamBlock
from home.models import BasePage, prefetch_renditions
from territory.panels import TerritoryPanel

from .forms import StoryPageForm
from .panels import ImageRightsPanel
from .structured_data import json_ld_script, local_business
from .taxonomy import BusinessKind, OpeningStatus, Region

# The programme rewarded its first laureates in December 2020.
FIRST_LAUREATE_YEAR = 2020

# The renditions of a story's hero image on its page (story_page.html's srcset and the Open
# Graph image of base.html, also in the JSON-LD): prefetched with the story when it is routed.
STORY_HERO_SPECS = (
    "fill-480x320|format-webp",
    "fill-800x533|format-webp",
    "fill-1200x800|format-webp",
    "fill-1200x630",
)
STORY_GALLERY_SPECS = ("fill-400x300|format-webp", "fill-800x600|format-webp")


class Theme(index.Indexed, models.Model):
    """What a laureate's project answers in its neighbourhood; editors can add themes.

    Registered as a snippet in ``wagtail_hooks.py``. The slug appears in the index's
    query string (?theme=parentalite), so it should not change once published.
    """

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(
        _("identifiant"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_(
            "Utilisé dans l'adresse des filtres (par exemple « parentalite ») ; laissé vide, il est tiré du nom. "
            "Évitez de le changer une fois publié."
        ),
    )
    description = models.TextField(_("description"), max_length=400, blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        if not self.slug:
            raise ValidationError({"name": _("Le nom doit contenir au moins une lettre ou un chiffre.")})
        if Theme.objects.exclude(pk=self.pk).filter(slug=self.slug).exists():
            raise ValidationError({"slug": _("Un autre thème utilise déjà cet identifiant.")})


class StoryIndexPage(BasePage):
    """The laureates' stories (/laureats/): cards, filters with counts, pagination."""

    intro = models.TextField(_("chapeau"), max_length=600, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["stories.StoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des lauréats")

    def route(self, request, path_components):
        """A story in one query with its hero image (and one for its renditions), instead of
        Wagtail's walk (the child, then its specific row, then each image on its own)."""
        if path_components:
            story = (
                StoryPage.objects.child_of(self)
                .filter(slug=path_components[0])
                .select_related("hero_image", "social_image")
                .prefetch_related(prefetch_renditions("hero_image__renditions", STORY_HERO_SPECS))
                .first()
            )
            if story is None:
                raise Http404
            story._cached_parent_obj = self  # as Page.route does: get_parent() costs nothing
            return story.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        # Wagtail calls the page model for its context; the listing queries these models, so
        # it is imported on the first request (the cycle Wagtail's page-model entry imposes).
        from .filters import story_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(story_listing(self, request.GET))
        return context


def current_year():
    return datetime.date.today().year


class StoryPage(BasePage):
    """One laureate: the business, its neighbourhood, what it does and the support it received."""

    business_name = models.CharField(
        _("nom du commerce"), max_length=120, help_text=_("Tel qu'il figure sur la devanture.")
    )
    kind = models.CharField(_("type de commerce"), max_length=20, choices=BusinessKind.choices)
    town = models.CharField(_("commune"), max_length=120)
    neighbourhood = models.CharField(
        _("quartier (QPV)"),
        max_length=160,
        blank=True,
        help_text=_("Nom du quartier prioritaire (QPV), par exemple « Villette - Quatre-Chemins »."),
    )
    region = models.CharField(_("région"), max_length=40, choices=Region.choices)
    opening_status = models.CharField(
        _("ouverture"), max_length=20, choices=OpeningStatus.choices, default=OpeningStatus.OUVERT
    )
    year_founded = models.PositiveSmallIntegerField(
        _("année de création"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1800, _("L'année de création doit être postérieure à 1800.")),
            MaxValueValidator(2100, _("L'année de création semble trop lointaine.")),
        ],
        help_text=_("Laisser vide si le commerce n'a pas encore ouvert."),
    )
    laureate_year = models.PositiveSmallIntegerField(
        _("année de la récompense"),
        default=current_year,
        validators=[
            MinValueValidator(FIRST_LAUREATE_YEAR, _("Le programme récompense des lauréats depuis décembre 2020.")),
            MaxValueValidator(2100, _("L'année de la récompense semble trop lointaine.")),
        ],
    )
    themes = ParentalManyToManyField(
        Theme,
        verbose_name=_("thèmes"),
        blank=True,
        related_name="stories",
        help_text=_("Les besoins du quartier auxquels le projet répond."),
    )
    summary = models.TextField(
        _("résumé"),
        max_length=400,
        help_text=_("Deux ou trois phrases montrées sur la carte du lauréat et dans les résultats de recherche."),
    )
    hero_image = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("image principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Format paysage, 1600 × 1000 pixels au moins."),
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("récit"), blank=True)
    support_received = RichTextField(
        _("soutien reçu"),
        blank=True,
        features=["bold", "italic", "ul", "link"],
        help_text=_("Ce que le programme a financé et l'accompagnement suivi."),
    )
    website_url = models.URLField(_("site web"), blank=True)
    facebook_url = models.URLField(_("page Facebook"), blank=True)
    instagram_url = models.URLField(_("compte Instagram"), blank=True)
    linkedin_url = models.URLField(_("page LinkedIn"), blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-90, _("La latitude est comprise entre -90 et 90.")),
            MaxValueValidator(90, _("La latitude est comprise entre -90 et 90.")),
        ],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-180, _("La longitude est comprise entre -180 et 180.")),
            MaxValueValidator(180, _("La longitude est comprise entre -180 et 180.")),
        ],
    )
    # Territory: where the business is, and the QPV check of its application (copied at
    # promotion, moderation/promote.py); the editor's map and warning are territory/panels.py.
    street_address = models.CharField(
        _("adresse du commerce"),
        max_length=255,
        blank=True,
        help_text=_("Numéro, rue et code postal : sert à « trouver depuis l'adresse » ; jamais affichée."),
    )
    commune_code = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    qpv_code = models.CharField(_("QPV de la candidature"), max_length=200, blank=True)
    qpv_name = models.CharField(_("nom du QPV de la candidature"), max_length=500, blank=True)
    qpv_distance_m = models.PositiveIntegerField(_("distance au QPV à la candidature (m)"), null=True, blank=True)
    qpv_max_distance_m = models.PositiveIntegerField(
        _("distance maximale au QPV (m)"),
        default=500,
        null=True,
        blank=True,
        help_text=_("Celle de l'appel : au-delà, un avertissement s'affiche ici ; vide : 500 m."),
    )
    is_example = models.BooleanField(
        _("récit d'exemple"),
        default=False,
        help_text=_("Contenu de démonstration : un bandeau « Exemple » est affiché sur la carte et la page."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("gallery_images", label=_("Photo"), heading=_("Galerie")),
        ImageRightsPanel(),
    ]
    business_panels = [
        MultiFieldPanel(
            [
                FieldPanel("business_name"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("opening_status")]),
                FieldRowPanel([FieldPanel("year_founded"), FieldPanel("laureate_year")]),
            ],
            heading=_("Le commerce"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("town"), FieldPanel("region")]),
                FieldPanel("neighbourhood"),
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                TerritoryPanel(),
                FieldRowPanel([FieldPanel("commune_code"), FieldPanel("qpv_max_distance_m")]),
            ],
            heading=_("Localisation"),
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("support_received"),
        MultiFieldPanel(
            [
                FieldPanel("website_url"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
            ],
            heading=_("Liens"),
        ),
        FieldPanel("is_example"),
    ]

    base_form_class = StoryPageForm
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Récit")),
            ObjectList(business_panels, heading=_("Le commerce")),
            ObjectList(BasePage.promote_panels, heading=_("Promotion")),
            ObjectList(Page.settings_panels, heading=_("Paramètres")),
        ]
    )

    # Later entries replace earlier ones of the same type and name (Indexed.get_search_fields),
    # so this raises the title's boost from Page's 2 to 3.
    search_fields = Page.search_fields + [
        index.SearchField("title", boost=3),
        index.SearchField("business_name", boost=3),
        index.AutocompleteField("business_name"),
        index.SearchField("town", boost=2),
        index.AutocompleteField("town"),
        index.SearchField("neighbourhood"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("support_received"),
        index.SearchField("get_region_display"),
        index.SearchField("get_kind_display"),
        index.FilterField("region"),
        index.FilterField("kind"),
        index.FilterField("opening_status"),
        index.FilterField("laureate_year"),
        index.FilterField("themes"),
        index.RelatedFields("themes", [index.SearchField("name"), index.FilterField("slug")]),
    ]

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("récit de lauréat")
        verbose_name_plural = _("récits de lauréats")
        # The index filters on these (stories/facets.py).
        indexes = [
            models.Index(fields=["region"], name="stories_story_region_idx"),
            models.Index(fields=["kind"], name="stories_story_kind_idx"),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            message = _("Renseignez la latitude et la longitude ensemble, ou laissez les deux vides.")
            errors["latitude" if self.latitude is None else "longitude"] = message
        if self.year_founded and self.opening_status == OpeningStatus.OUVERT and self.year_founded > current_year():
            errors["year_founded"] = _("Un commerce ouvert ne peut pas avoir été créé dans le futur.")
        if errors:
            raise ValidationError(errors)
        if not self.search_description and self.summary:
            self.search_description = self.summary

    def get_social_image(self):
        return self.social_image or self.hero_image

    def get_context(self, request, *args, **kwargs):
        from .related import story_neighbours  # queries these models: see StoryIndexPage.get_context

        context = super().get_context(request, *args, **kwargs)
        # A preview shows a draft's themes: never from (nor into) the cache.
        context.update(story_neighbours(self, cache=not getattr(request, "is_preview", False)))
        image = self.get_social_image()
        # The same rendition as the Open Graph image of base.html, so it is made only once.
        image_url = request.build_absolute_uri(image.get_rendition("fill-1200x630").url) if image else None
        context["structured_data"] = json_ld_script(local_business(self, request, image_url))
        context["gallery"] = list(
            self.gallery_images.select_related("image").prefetch_related(
                prefetch_renditions("image__renditions", STORY_GALLERY_SPECS)
            )
        )
        return context


class StoryGalleryImage(Orderable):
    story = ParentalKey(StoryPage, related_name="gallery_images", on_delete=models.CASCADE)
    image = models.ForeignKey("home.CustomImage", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+")
    caption = models.CharField(_("légende"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("photo de la galerie")
        verbose_name_plural = _("photos de la galerie")


# --- Image rights: the proof of the right to publish a laureate's photos -----------------


class ImageRightsConsent(models.Model):
    """The applicant's answer to « Droit à l'image et à la publication », kept with the story
    made from their application: the proof of the right (or not) to publish their photos.

    Written by the promotion of a laureate (``moderation/promote.py``; stories never reads
    the applications), shown read-only in the story's editor (``panels.ImageRightsPanel``),
    never on the public page. Nothing personal: the application's reference, the question
    and text the call's editor wrote, the answer and its date. It outlives the erasure of
    the application's personal data (``moderation/rgpd.py``): it is the legal proof of what
    was agreed, and the photos it covers stay in the story until an editor removes them.
    """

    story = models.OneToOneField(
        StoryPage,
        verbose_name=_("récit"),
        null=True,
        blank=True,
        # The proof must outlive the story while its photos stay in the image library.
        on_delete=models.SET_NULL,
        related_name="image_rights",
    )
    application_reference = models.CharField(_("référence de la candidature"), max_length=20, unique=True)
    asked = models.BooleanField(_("question posée par l'appel"), default=False)
    given = models.BooleanField(_("accord donné"), default=False)
    question = models.CharField(_("question"), max_length=255, blank=True)
    text = models.TextField(_("texte montré au candidat"), blank=True)
    answered_at = models.DateTimeField(_("date de la réponse"), help_text=_("L'envoi de la candidature."))
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("droit à l'image d'un lauréat")
        verbose_name_plural = _("droits à l'image des lauréats")

    def __str__(self):
        return self.application_reference


class LaureatePhoto(models.Model):
    """A Wagtail image copied from a photo a laureate sent with their application, under the
    consent that allowed it. ``source`` (the attachment's stored name, a UUID: nothing the
    applicant typed) makes the copy idempotent: the same photo is never copied twice."""

    image = models.OneToOneField(
        "home.CustomImage", verbose_name=_("image"), on_delete=models.CASCADE, related_name="laureate_photo"
    )
    consent = models.ForeignKey(
        ImageRightsConsent, verbose_name=_("accord"), on_delete=models.PROTECT, related_name="photos"
    )
    source = models.CharField(_("fichier d'origine"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("copiée le"), default=timezone.now)

    class Meta:
        verbose_name = _("photo d'un lauréat")
        verbose_name_plural = _("photos des lauréats")
        ordering = ["pk"]

    def __str__(self):
        return str(self.image)
