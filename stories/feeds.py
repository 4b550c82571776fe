"""The laureates' stories as RSS and Atom (home/feeds.py), latest published first."""

from home.feeds import AtomFeed, PageFeed

from .models import StoryIndexPage, StoryPage


class StoryFeed(PageFeed):
    index_model = StoryIndexPage
    item_model = StoryPage

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [item.get_region_display(), item.get_kind_display()]


class StoryAtomFeed(AtomFeed, StoryFeed):
    pass
