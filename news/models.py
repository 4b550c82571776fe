"""News: an index (/actualites/) listing dated news pages, ten a page, with an archive by
year (/actualites/2026/), and the news pages themselves.

A news page has a date, a category, a summary (cards, feeds, meta description), an image and
a StreamField body made of home's blocks. Feeds are in ``news/feeds.py``; the home page's
latest news in ``news/templatetags/news_tags.py``.
"""

import datetime

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BaseStreamBlock
from home.chrome import public_q
from home.models import BasePage, prefetch_renditions
from home.pagination import page_links, parse_page_number

PAGE_SIZE = 10
# news/includes/news_card.html
CARD_IMAGE_SPECS = ("fill-360x240|format-webp", "fill-720x480|format-webp")


class Category(models.TextChoices):
    RESULTATS = "resultats", _("Résultats")
    LAUREATS = "laureats", _("Lauréats")
    EVENEMENTS = "evenements", _("Événements")
    PRESSE = "presse", _("Presse")


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The news, newest first, ten a page; ``<année>/`` lists one year's news."""

    intro = models.TextField(_("chapeau"), max_length=600, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des actualités")

    def news(self):
        """The index's live, public news pages, newest first."""
        return NewsPage.objects.child_of(self).live().filter(public_q()).order_by("-date", "-pk")

    def years(self):
        return [day.year for day in self.news().dates("date", "year", order="DESC")]

    def listing(self, request, year=None):
        news = self.news()
        if year is not None:
            news = news.filter(date__year=year)
        total = news.count()
        num_pages = max(1, -(-total // PAGE_SIZE))
        number = parse_page_number(request.GET.get("page", 1), num_pages)
        offset = (number - 1) * PAGE_SIZE
        renditions = prefetch_renditions("image__renditions", CARD_IMAGE_SPECS)
        items = news.select_related("image").prefetch_related(renditions)
        return {
            "news_items": list(items[offset : offset + PAGE_SIZE]),
            "total": total,
            "year": year,
            "years": self.years(),
            "pagination": page_links(number, num_pages, lambda n: request.path + (f"?page={n}" if n > 1 else "")),
        }

    @path("")
    def all_news(self, request):
        return self.render(request, context_overrides=self.listing(request))

    @path("<int:year>/")
    def year_archive(self, request, year):
        context = self.listing(request, year)
        if not context["total"]:
            raise Http404
        return self.render(request, context_overrides=context)


class NewsPage(BasePage):
    date = models.DateField(_("date"), default=datetime.date.today)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    summary = models.TextField(
        _("résumé"),
        max_length=300,
        help_text=_("Deux ou trois phrases : montrées dans la liste, les flux et les moteurs de recherche."),
    )
    image = models.ForeignKey(
        "home.CustomImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("category")], heading=_("Date et catégorie")),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("get_category_display"),
        index.FilterField("date"),
        index.FilterField("category"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    # The search results' label (search/templates/search/search.html).
    search_kind_label = _("Actualité")

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        indexes = [models.Index(fields=["date"], name="news_newspage_date_idx")]

    def clean(self):
        super().clean()
        if not self.search_description and self.summary:
            self.search_description = self.summary

    def get_social_image(self):
        return self.social_image or self.image
