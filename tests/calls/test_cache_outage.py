"""Redis down degrades the site, it never breaks it (home.cache.FailSafeRedisCache).

The cache points at a loopback port where nothing listens, as when Redis has stopped:
every public page still renders (Wagtail's own site lookup goes through the cache), an
application is stored whole with its file, and the rate limit lets it through, logged.
"""

import logging
import re
import socket

import pytest
from django.core.cache import cache

from calls.models import Application
from home import cache as home_cache
from tests.calls.factories import pdf_file, valid_answers
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings, monkeypatch):
    monkeypatch.setattr(home_cache, "_down_until", 0.0)
    down = {
        "BACKEND": "home.cache.FailSafeRedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {"default": down, "counters": down}
    yield
    monkeypatch.setattr(home_cache, "_down_until", 0.0)


def test_public_pages_render_without_redis(client, home_page, call, redis_down, caplog, monkeypatch):
    # One outage window for the whole test: six renders on a loaded machine can outlast 5 s.
    monkeypatch.setattr(home_cache, "RETRY_AFTER_SECONDS", 3600.0)
    index = StoryIndexPageFactory(parent=home_page, slug="laureats", title="Lauréats")
    story = StoryPageFactory(parent=index, title="La Blague", business_name="La Blague", town="Aubervilliers")
    with caplog.at_level(logging.WARNING, logger="home.cache"):
        for url in ("/", index.url, story.url, call.url, "/recherche/?q=blague", "/recherche/suggestions/?q=bla"):
            response = client.get(url)
            assert response.status_code == 200, url
    assert "Redis did not answer" in caplog.text
    # One warning per outage window, not one per cache call.
    assert caplog.text.count("Redis did not answer") == 1


def test_an_application_is_stored_whole_without_redis(client, call, redis_down, caplog):
    html = client.get(call.url).content.decode()
    token = re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)
    with caplog.at_level(logging.WARNING):
        response = client.post(call.url, {**valid_answers(), "qc_jeton": token, "business_plan": pdf_file()})
    assert response.status_code == 303
    application = Application.objects.get()
    assert not application.is_spam  # nothing could be counted: never held against the applicant
    assert application.attachments.count() == 1
    assert "Submission rate limit not applied" in caplog.text


def test_a_hung_or_stopped_redis_is_not_asked_again_within_the_window(redis_down, monkeypatch):
    assert cache.get("anything", "default") == "default"
    calls = []
    monkeypatch.setattr(home_cache.RedisCache, "get", lambda *args, **kwargs: calls.append(args))
    assert cache.get("anything", "default") == "default"
    assert calls == []  # marked down: answered as a miss without a round trip
    with pytest.raises(home_cache.RedisError):
        cache.incr("counter")  # counters say so, for the code that counts
