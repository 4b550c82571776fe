"""The CDN purge (home/cdn.py, through Wagtail's frontend-cache HTTP backend): everything a
change touches, recorded by a loopback HTTP endpoint that accepts PURGE requests."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import ReferenceIndex

from home.models import SiteSettings
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory, ThemeFactory

pytestmark = pytest.mark.django_db


class PurgeEndpoint:
    """Records each PURGE as « Host path »."""

    def __init__(self):
        self.purged = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                endpoint.purged.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def take(self):
        purged, self.purged = sorted(set(self.purged)), []
        return purged

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def cdn(settings):
    endpoint = PurgeEndpoint()
    settings.WAGTAILFRONTENDCACHE = {
        "http": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": endpoint.url}
    }
    yield endpoint
    endpoint.close()


@pytest.fixture
def stories(home_page):
    index = StoryIndexPageFactory(parent=home_page)
    return index, StoryPageFactory(parent=index, slug="cafe-des-amis")


def test_publishing_a_story_purges_it_its_index_and_the_home_page(cdn, stories):
    _index, story = stories
    cdn.take()
    story.save_revision().publish()
    # The feeds list stories: everything under /flux/ (purged by prefix).
    assert cdn.take() == ["/", "/flux/", "/laureats/", "/laureats/cafe-des-amis/"]


def test_unpublishing_a_story_purges_the_same(cdn, stories):
    _index, story = stories
    cdn.take()
    story.unpublish()
    assert cdn.take() == ["/", "/flux/", "/laureats/", "/laureats/cafe-des-amis/"]


def test_moving_a_story_purges_its_old_and_new_places(cdn, stories, home_page):
    _index, story = stories
    other = StoryIndexPageFactory(parent=home_page, slug="anciens-laureats", title="Anciens lauréats")
    cdn.take()
    story.move(other, pos="last-child")
    assert set(cdn.take()) >= {
        "/",
        "/flux/",
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
    assert "/laureats/cafe-des-amis/" in purged and "/" in purged


def test_a_setting_purges_every_live_page_of_the_site(cdn, stories, home_page):
    cdn.take()
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.save()
    assert cdn.take() == ["/", "/laureats/", "/laureats/cafe-des-amis/"]


def test_nothing_is_sent_without_a_frontend_cache(settings, stories):
    settings.WAGTAILFRONTENDCACHE = {}
    _index, story = stories
    story.save_revision().publish()  # no endpoint: nothing to fail on
