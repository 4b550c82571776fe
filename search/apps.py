from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "site_search"
    verbose_name = _("Recherche")

    def ready(self):
        # Models can only be imported once the app registry is ready (Django's rule for ready()).
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished

        from stories.models import StoryPage

        from .autocomplete import new_generation

        # Cached suggestions are dropped as soon as the set of public stories changes.
        for signal in (page_published, page_unpublished, post_delete):
            signal.connect(new_generation, sender=StoryPage, dispatch_uid=f"search-suggest-{signal!r}")
