"""SQL queries of every kind of public page, rendered without the page cache (as in the tests'
settings): at most ``MAX_QUERIES``, and the same number with 3 or 30 items of each kind
(stories, partners, featured stories, menu pages, subpages, calls).

Two counts per page: *warm*, the second visit, as visitors find a page whose chrome (menu,
breadcrumbs, settings, private sections, a story's neighbours, the listings' counts) is
already kept for the current generation (``home.chrome``, ``stories.listing_cache``); and
*cold*, right after the whole cache is cleared (the first visit after a publication), where
Wagtail's rendition cache cannot help either: only the prefetches keep it flat.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import HomeFeaturedStory, HomePartner
from stories.models import StoryGalleryImage, Theme
from stories.taxonomy import BusinessKind, Region
from tests.calls.factories import CallIndexPageFactory, make_call
from tests.factories import ImageFactory, PartnerFactory, ProgrammePageFactory, make_home
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db

# The uncached pages' query budget: every page rendered without the page cache in 12 SQL queries at most.
MAX_QUERIES = 12
# With the cache cleared: the chrome (site settings, menu, breadcrumbs, private sections,
# small pages' children) and a page's own cached values are read again.
MAX_COLD_QUERIES = 20


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def warm_and_cold(client, url):
    client.get(url)  # renditions are made on the first visit, and the site settings' row
    client.get(url)  # whose creation starts a new generation once committed
    warm = count(client, url)
    cache.clear()
    cold = count(client, url)
    return warm, cold


class Site:
    """A site whose lists all grow together: ``grow(n)`` adds n of each kind of item."""

    def __init__(self):
        self.home = make_home(hero_image=ImageFactory())
        self.index = StoryIndexPageFactory(parent=self.home, show_in_menus=True)
        self.programme = ProgrammePageFactory(parent=self.home, slug="le-programme", show_in_menus=True)
        self.calls = CallIndexPageFactory(parent=self.home, show_in_menus=True)
        self.themes = list(Theme.objects.order_by("name")[:2])
        self.story = StoryPageFactory(
            parent=self.index,
            title="M comme Milieu",
            region=Region.BRETAGNE,
            kind=BusinessKind.CAFE,
            hero_image=ImageFactory(),
            themes=self.themes,
        )
        for _ in range(2):
            StoryGalleryImage.objects.create(story=self.story, image=ImageFactory())
        self.call = None
        self.n = 0

    def grow(self, n):
        now = timezone.now()
        for i in range(self.n, self.n + n):
            story = StoryPageFactory(
                parent=self.index,
                title=f"Récit {i:03d}",
                region=Region.BRETAGNE,
                kind=BusinessKind.CAFE,
                hero_image=ImageFactory(),
                themes=self.themes,
            )
            if i < 6:  # the home page features six stories at most
                HomeFeaturedStory.objects.create(home=self.home, page=story, sort_order=i)
            HomePartner.objects.create(home=self.home, partner=PartnerFactory(logo=ImageFactory()), sort_order=i)
            ProgrammePageFactory(parent=self.programme, slug=f"rubrique-{i}")
            ProgrammePageFactory(parent=self.home, slug=f"menu-{i}", show_in_menus=True)
            call = make_call(
                self.calls,
                slug=f"appel-{i}",
                opens_at=now - timezone.timedelta(days=i + 2),
                closes_at=now + timezone.timedelta(days=30 - i),
            )
            self.call = self.call or call
        self.n += n
        cache.clear()

    def urls(self):
        return {
            "home": "/",
            "story index": self.index.url,
            "story index, filtered": f"{self.index.url}?region=bretagne&kind=cafe&theme={self.themes[0].slug}&page=2",
            "story": self.story.url,
            "search": "/recherche/?q=r%C3%A9cit",
            "call index": self.calls.url,
            "call": self.call.url,
            "content page": self.programme.url,
        }


def test_every_page_takes_the_same_few_queries_with_3_or_30_items(client):
    site = Site()
    site.grow(3)
    small = {name: warm_and_cold(client, url) for name, url in site.urls().items()}
    site.grow(27)
    large = {name: warm_and_cold(client, url) for name, url in site.urls().items()}
    # The search page's first visit of a query records it (search/): its cold count is
    # search's own business; its warm count is held here like every page's.
    for counts in (small, large):
        counts["search"] = (counts["search"][0], None)
    assert large == small
    for name, (warm, cold) in large.items():
        assert warm <= MAX_QUERIES, (name, warm)
        assert cold is None or cold <= MAX_COLD_QUERIES, (name, cold)
    # The lists really are longer: the counts above are not those of empty pages.
    home = client.get("/").content.decode()
    assert home.count('class="partner"') == 30
    assert client.get(site.index.url).content.decode().count("story-card") >= 12


def test_what_is_kept_per_generation_changes_as_soon_as_the_content_does(client):
    """The menu, the site settings, the breadcrumbs and the story cards are read from the
    cache on the second visit, and a publication, a setting or a title changed shows at once."""
    from home.models import SiteSettings

    site = Site()
    site.grow(3)
    index_url = site.index.url
    client.get(index_url)
    html = client.get(index_url).content.decode()
    assert "Récit 000" in html and "Contact" in html

    ProgrammePageFactory(parent=site.home, slug="nouvelle-rubrique", title="Nouvelle rubrique", show_in_menus=True)
    assert "Nouvelle rubrique" in client.get(index_url).content.decode()

    settings_row = SiteSettings.objects.get()
    settings_row.contact_email = "bonjour@quartierscafes.org"
    settings_row.save()
    assert "bonjour@quartierscafes.org" in client.get(index_url).content.decode()

    story = site.index.get_children().get(title="Récit 000").specific
    story.title = "Récit renommé"
    story.save_revision().publish()
    html = client.get(index_url).content.decode()
    assert ">Récit renommé</a>" in html and ">Récit 000</a>" not in html
    assert "Récit renommé" in client.get(site.story.url).content.decode()  # a related card

    site.index.title = "Nos lauréats"
    site.index.save_revision().publish()
    assert '<a href="/laureats/">Nos lauréats</a>' in client.get(site.story.url).content.decode()
