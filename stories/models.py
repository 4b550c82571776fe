from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from home.models import BasePage


class StoryIndexPage(BasePage):
    """The laureates' stories (/laureats/)."""

    intro = models.TextField(_("chapeau"), max_length=600, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des lauréats")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = self.get_children().live().public().specific().order_by("title")
        return context
