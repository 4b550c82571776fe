"""The CDN purge (home/cdn.py, through Wagtail's frontend-cache HTTP backend): everything a
change touches, recorded by a loopback HTTP endpoint that accepts PURGE requests (tests/cdn.py)."""

import pytest
from wagtail.models import ReferenceIndex

from home.models import SiteSettings
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory, ThemeFactory

pytestmark = pytest.mark.django_db

# ``cdn``: tests/conftest.py (the endpoint is tests/cdn.py).


@pytest.fixture
def stories(home_page):
    index = StoryIndexPageFactory(parent=home_page)
    return index, StoryPageFactory(parent=index, slug="cafe-des-amis")


def test_publishing_a_story_purges_it_its_index_and_the_home_page(cdn, stories):
    _index, story = stories
    cdn.take()
    story.save_revision().publish()
    # The feeds list stories: everything under /flux/ (purged by prefix); so does the sitemap.
    assert cdn.take() == ["/", "/flux/", "/laureats/", "/laureats/cafe-des-amis/", "/sitemap.xml"]


def test_unpublishing_a_story_purges_the_same(cdn, stories):
    _index, story = stories
    cdn.take()
    story.unpublish()
    assert cdn.take() == ["/", "/flux/", "/laureats/", "/laureats/cafe-des-amis/", "/sitemap.xml"]


def test_moving_a_story_purges_its_old_and_new_places(cdn, stories, home_page):
    _index, story = stories
    other = StoryIndexPageFactory(parent=home_page, slug="anciens-laureats", title="Anciens lauréats")
    cdn.take()
    story.move(other, pos="last-child")
    assert set(cdn.take()) >= {
        "/",
        "/flux/",
        "/sitemap.xml",
        "/anciens-laureats/",
        "/anciens-laureats/cafe-des-amis/",
        "/laureats/",
        "/laureats/cafe-des-amis/",
    }


def test_a_snippet_purges_the_pages_that_show_it(cdn, stories):
    _index, story = stories
    theme = ThemeFactory(name="Emploi", slug="emploi")
    story.themes.set([theme])
    story.save_revision().publish()
    ReferenceIndex.create_or_update_for_object(story)
    cdn.take()
    theme.name = "Emploi local"
    theme.save()
    purged = cdn.take()
    # The story shows the theme; its index lists it among the filters (/laureats/?theme=…,
    # keyed under the index); the home page.
    assert {"/laureats/cafe-des-amis/", "/laureats/", "/"} <= set(purged)


def test_a_setting_purges_every_live_page_of_the_site(cdn, stories, home_page):
    cdn.take()
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.save()
    assert cdn.take() == ["/", "/laureats/", "/laureats/cafe-des-amis/"]


def test_nothing_is_sent_without_a_frontend_cache(settings, stories):
    settings.WAGTAILFRONTENDCACHE = {}
    _index, story = stories
    story.save_revision().publish()  # no endpoint: nothing to fail on
