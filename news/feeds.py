"""The news as RSS and Atom (home/feeds.py), newest news date first."""

import datetime

from django.utils import timezone

from home.feeds import AtomFeed, PageFeed

from .models import NewsIndexPage, NewsPage


class NewsFeed(PageFeed):
    index_model = NewsIndexPage
    item_model = NewsPage

    def order_by(self):
        return ("-date", "-pk")

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(9)))

    def item_categories(self, item):
        return [item.get_category_display()]


class NewsAtomFeed(AtomFeed, NewsFeed):
    pass
