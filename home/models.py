"""Site-wide models: the custom user and image, the home and programme pages, partners,
site settings.

Page models stay thin: fields, panels, search fields and ``get_context``.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, PageViewRestriction, Site
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import chrome, sections
from .blocks import BaseStreamBlock, KeyFiguresBlock


class User(AbstractUser):
    """The project's user, in place from the first migration so it can grow later."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")


class CustomImage(AbstractImage):
    """An image with its photo credit and a default alternative text."""

    alt_text = models.CharField(
        _("texte alternatif par défaut"),
        max_length=255,
        blank=True,
        help_text=_("Décrit l'image pour qui ne la voit pas. Laisser vide si elle est décorative."),
    )
    credit = models.CharField(_("crédit photo"), max_length=255, blank=True)

    admin_form_fields = Image.admin_form_fields + ("alt_text", "credit")

    search_fields = AbstractImage.search_fields + [index.SearchField("credit")]

    @property
    def default_alt_text(self):
        return self.alt_text or getattr(self, "description", "") or self.title

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_image", "Can choose image")]


class CustomRendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("image", "filter_spec", "focal_point_key"), name="unique_rendition")
        ]


def prefetch_renditions(lookup, specs):
    """A prefetch of an image's renditions of these specs, where Wagtail looks for them first
    (``AbstractImage.find_existing_renditions``): no query per image."""
    return Prefetch(
        lookup, queryset=CustomRendition.objects.filter(filter_spec__in=specs), to_attr="prefetched_renditions"
    )


# The renditions home_page.html shows: the hero (two sizes) and the featured stories' cards.
# base.html's Open Graph image (fill-1200x630) too: a spec missing from prefetched renditions
# would be looked up in the database on every request.
HOME_IMAGE_SPECS = (
    "fill-720x540|format-webp",
    "fill-360x270|format-webp",
    "fill-480x320|format-webp",
    "fill-1200x630",
)
# home/includes/partner_list.html
PARTNER_LOGO_SPECS = ("max-240x120|format-webp",)


class BasePage(Page):
    """Adds a social sharing image to the promote tab of every page of the site."""

    social_image = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("image de partage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Image montrée quand la page est partagée sur les réseaux (1200 × 630 idéalement)."),
    )

    promote_panels = Page.promote_panels + [FieldPanel("social_image")]

    def get_social_image(self):
        """The image for Open Graph: the page's own choice, else the page's main image."""
        return self.social_image

    def route(self, request, path_components):
        """Wagtail's routing, with a page of few children found in one query instead of two
        (the children's slugs and types are kept per generation, ``home.chrome``)."""
        if path_components and self.numchild <= chrome.ROUTE_MAP_MAX_CHILDREN:
            child = chrome.child_by_slug(self, path_components[0])
            if child is not None:
                child._cached_parent_obj = self  # as Page.route does: get_parent() costs nothing
                return child.route(request, path_components[1:])
            raise Http404
        return super().route(request, path_components)

    @classmethod
    def from_serializable_data(cls, data, check_fks=True, strict_fks=False):
        """A revision made into a page (the editor of a page with a draft, a preview, a save):
        modelcluster reads the page again for every child to check its key back to the page
        (one query per question of a call's form: 52 for the demo call). That key is the page
        itself and is set again on each child as it is attached, so it is left out of the
        children's data; their other keys are still checked."""
        data = dict(data)
        for relation in get_all_child_relations(cls):
            name, key = relation.get_accessor_name(), relation.field.name
            if isinstance(data.get(name), list):
                data[name] = [{k: v for k, v in child.items() if k != key} for child in data[name]]
        return super().from_serializable_data(data, check_fks, strict_fks)

    def get_view_restrictions(self):
        """Wagtail's check on every page served; no query when the site has no private section."""
        if not chrome.restricted_sections():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    class Meta:
        abstract = True


@register_snippet
class Partner(index.Indexed, models.Model):
    name = models.CharField(_("nom"), max_length=120)
    logo = models.ForeignKey(
        "home.CustomImage", verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("site web"), blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    panels = [FieldPanel("name"), FieldPanel("logo"), FieldPanel("url"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")

    def __str__(self):
        return self.name


class HomePage(BasePage):
    hero_title = models.CharField(_("titre d'accroche"), max_length=160)
    hero_text = models.TextField(_("texte d'accroche"), max_length=500, blank=True)
    hero_image = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("image d'accroche"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_label = models.CharField(_("texte du bouton"), max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page du bouton"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key_figures = StreamField(
        [("key_figures", KeyFiguresBlock())],
        verbose_name=_("chiffres clés"),
        blank=True,
        max_num=1,
    )
    call_teaser_title = models.CharField(_("titre de l'encart appel"), max_length=120, blank=True)
    call_teaser_text = models.TextField(_("texte de l'encart appel"), max_length=500, blank=True)
    call_teaser_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("appel mis en avant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("L'appel à candidatures présenté sur l'accueil."),
    )
    stories_title = models.CharField(_("titre des lauréats à la une"), max_length=120, blank=True)
    partners_title = models.CharField(_("titre des partenaires"), max_length=120, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_label"),
                PageChooserPanel("hero_cta_page"),
            ],
            heading=_("Accroche"),
        ),
        FieldPanel("key_figures"),
        MultiFieldPanel(
            [FieldPanel("call_teaser_title"), FieldPanel("call_teaser_text"), PageChooserPanel("call_teaser_page")],
            heading=_("Appel à candidatures"),
        ),
        MultiFieldPanel(
            [FieldPanel("stories_title"), InlinePanel("featured_stories", label=_("Lauréat"), max_num=6)],
            heading=_("Lauréats à la une"),
        ),
        MultiFieldPanel(
            [FieldPanel("partners_title"), InlinePanel("home_partners", label=_("Partenaire"))],
            heading=_("Partenaires"),
        ),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [index.SearchField("hero_text"), index.SearchField("body")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_social_image(self):
        return self.social_image or self.hero_image

    def get_context(self, request, *args, **kwargs):
        """A fixed number of queries whatever the number of stories and partners: the linked
        pages, the featured stories (their base and specific rows), every image shown with
        its renditions, the partners with the renditions of their logos."""
        context = super().get_context(request, *args, **kwargs)
        linked = {self.hero_cta_page_id, self.call_teaser_page_id} - {None}
        linked = {page.pk: page for page in Page.objects.filter(pk__in=linked)} if linked else {}
        self.hero_cta_page = linked.get(self.hero_cta_page_id)
        call = linked.get(self.call_teaser_page_id)
        context["call_teaser"] = call if call and call.live else None

        featured_ids = [item.page_id for item in self.featured_stories.all()]
        pages = {page.pk: page for page in Page.objects.filter(pk__in=featured_ids).live().specific()}
        featured = [pages[pk] for pk in featured_ids if pk in pages]
        # One query for every image of the page and one for their renditions.
        image_ids = {getattr(page, "hero_image_id", None) for page in featured} | {self.hero_image_id}
        image_ids.discard(None)
        images = {}
        if image_ids:
            images = {
                image.pk: image
                for image in CustomImage.objects.filter(pk__in=image_ids).prefetch_related(
                    prefetch_renditions("renditions", HOME_IMAGE_SPECS)
                )
            }
        for page in [self, *featured]:
            if getattr(page, "hero_image_id", None) in images:
                page.hero_image = images[page.hero_image_id]
        context["featured_stories"] = featured
        context["partners"] = [
            item.partner
            for item in self.home_partners.select_related("partner", "partner__logo").prefetch_related(
                prefetch_renditions("partner__logo__renditions", PARTNER_LOGO_SPECS)
            )
        ]
        context["home_sections"] = sections.home_sections(self, request)
        return context


class HomeFeaturedStory(Orderable):
    home = ParentalKey(HomePage, related_name="featured_stories", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("récit de lauréat"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("page")]

    class Meta(Orderable.Meta):
        verbose_name = _("lauréat à la une")


class HomePartner(Orderable):
    home = ParentalKey(HomePage, related_name="home_partners", on_delete=models.CASCADE)
    partner = models.ForeignKey(Partner, verbose_name=_("partenaire"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("partner")]


class ProgrammePage(BasePage):
    """A page about the programme: its aims, the coaching, the network, partners, contact."""

    intro = models.TextField(_("chapeau"), max_length=600, blank=True)
    image = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("image principale"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("image"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.ProgrammePage"]

    class Meta:
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")

    def get_social_image(self):
        return self.social_image or self.image

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().filter(chrome.public_q()).specific().order_by("path")
        return context


class AccessibilityStatus(models.TextChoices):
    NON_CONFORME = "non", _("non conforme")
    PARTIELLEMENT = "partiel", _("partiellement conforme")
    TOTALEMENT = "total", _("totalement conforme")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the footer and the legal pages (home/legal.py) read: one place for each fact."""

    contact_email = models.EmailField(_("adresse de contact"), default="contact@quartierscafes.org")
    footer_text = RichTextField(_("texte du pied de page"), blank=True, features=["bold", "italic", "link"])
    facebook_url = models.URLField(_("Facebook"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)

    publisher_name = models.CharField(_("éditeur du site"), max_length=200, blank=True)
    publisher_details = models.TextField(
        _("adresse et identité de l'éditeur"),
        blank=True,
        help_text=_("Forme juridique, adresse du siège, numéro SIREN ou RNA, téléphone."),
    )
    publication_director = models.CharField(_("directeur ou directrice de la publication"), max_length=200, blank=True)
    host_name = models.CharField(_("hébergeur"), max_length=200, blank=True)
    host_address = models.TextField(_("adresse de l'hébergeur"), blank=True)
    host_contact = models.CharField(
        _("contact de l'hébergeur"), max_length=200, blank=True, help_text=_("Téléphone ou site web.")
    )

    accessibility_status = models.CharField(
        _("état de conformité au RGAA"),
        max_length=10,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.NON_CONFORME,
        help_text=_("« Non conforme » tant qu'aucun audit n'a été réalisé."),
    )
    accessibility_audit_date = models.DateField(_("date de l'audit"), null=True, blank=True)
    accessibility_audit_by = models.CharField(_("audit réalisé par"), max_length=200, blank=True)
    accessibility_audit_scope = models.TextField(_("pages et outils de l'audit"), blank=True)
    accessibility_results = models.TextField(
        _("résultats de l'audit"), blank=True, help_text=_("Par exemple : taux de critères respectés.")
    )
    accessibility_non_accessible = models.TextField(
        _("contenus non accessibles et raisons"),
        blank=True,
        help_text=_("Un contenu par ligne : le contenu, puis la raison (non-conformité, dérogation…)."),
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("footer_text"),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("youtube_url"),
            ],
            heading=_("Réseaux sociaux"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("publisher_name"),
                FieldPanel("publisher_details"),
                FieldPanel("publication_director"),
                FieldPanel("host_name"),
                FieldPanel("host_address"),
                FieldPanel("host_contact"),
            ],
            heading=_("Mentions légales"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("accessibility_status"),
                FieldPanel("accessibility_audit_date"),
                FieldPanel("accessibility_audit_by"),
                FieldPanel("accessibility_audit_scope"),
                FieldPanel("accessibility_results"),
                FieldPanel("accessibility_non_accessible"),
            ],
            heading=_("Déclaration d'accessibilité"),
        ),
    ]

    class Meta:
        verbose_name = _("réglages du site")

    @classmethod
    def for_request(cls, request):
        """The settings of the request's site, as Wagtail's ``for_request`` (kept on the
        request), read from the cache once per generation (``home.chrome``) instead of from
        the database on every page."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        site_settings = chrome.CHROME.cached("site-settings", [site.pk], lambda: cls.for_site(site))
        site_settings._request = request
        setattr(request, attr_name, site_settings)
        return site_settings

    def non_accessible_items(self):
        return [line.strip() for line in self.accessibility_non_accessible.splitlines() if line.strip()]

    def social_links(self):
        links = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
        ]
        return [(name, url) for name, url in links if url]


class LegalPage(BasePage):
    """A legal page whose facts are read, never typed: from the site settings and the
    settings the purge commands use (``home/legal.py``). ``body`` only adds to them."""

    intro = models.TextField(_("chapeau"), max_length=600, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("compléments"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.ProgrammePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        abstract = True

    def get_context(self, request, *args, **kwargs):
        from .legal import legal_context  # reads these models: see StoryIndexPage.get_context

        context = super().get_context(request, *args, **kwargs)
        context.update(legal_context(self, request))
        return context


class LegalNoticePage(LegalPage):
    class Meta:
        verbose_name = _("mentions légales")


class AccessibilityPage(LegalPage):
    class Meta:
        verbose_name = _("déclaration d'accessibilité")


class PrivacyPage(LegalPage):
    class Meta:
        verbose_name = _("politique de confidentialité")


class CookiesPage(LegalPage):
    class Meta:
        verbose_name = _("page des cookies")


class ScheduledRun(models.Model):
    """One run of a periodic job (home/scheduler.py) for one period: the unique pair (job,
    period) is the claim that makes it run at most once per period, across replicas and
    restarts. The row stays as the job's history, read by /readyz/."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminée")
        FAILED = "failed", _("Échouée")

    job = models.CharField(max_length=100)
    period = models.DateTimeField(help_text=_("Heure prévue de ce passage."))
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="home_scheduledrun_once_per_period")]
        indexes = [models.Index(fields=["job", "-period"])]
        verbose_name = _("passage d'une tâche planifiée")
        verbose_name_plural = _("passages des tâches planifiées")

    def __str__(self):
        return f"{self.job} {self.period:%Y-%m-%d %H:%M}"
