from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Lauréats")

    def ready(self):
        # listing_cache imports this app's models, which can only be imported once the app
        # registry is ready (Django's rule for ready()).
        from .listing_cache import connect_signals

        # Cached counts of the story index and the search page (stories/listing_cache.py):
        # a new generation whenever a page, a view restriction or a theme changes.
        connect_signals()
