"""The stories' key figure (``home/figures.py``): laureates' stories published (live and
public), per edition by the year of the award. A page's own save sends ``post_save`` from
its class only (``Page`` when Wagtail unpublishes through the base class): both are watched."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home import figures

from .models import StoryPage


def stories_published(edition=None):
    stories = StoryPage.objects.live().public()
    if edition:
        stories = stories.filter(laureate_year=edition)
    return stories.count()


figures.register("recits", _("récits de lauréats publiés"), stories_published, models=(StoryPage, Page))
