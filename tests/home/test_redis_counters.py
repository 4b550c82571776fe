"""Junk query strings cannot evict the rate limits' counters: the page cache keys only the
parameters pages read and never stores a page asked with others, and the counters live in
their own cache (« counters », REDIS_COUNTERS_URL) with its own memory budget and no eviction.

Two real redis-servers on free loopback ports, configured as docs/operations.md says: the cache with a
small maxmemory and allkeys-lru, the counters with noeviction (CONFIG SET maxmemory is
server-wide: the machine's shared Redis is left alone)."""

import shutil
import socket
import subprocess

import pytest
import redis
from django.core.cache import caches
from django.test import RequestFactory

from applicants.limits import count_link_request
from home.page_cache import page_cache

pytestmark = pytest.mark.django_db

PAGE = b"x" * 12_000  # about the size of one stored page


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(*options):
    port = free_port()
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in process.stdout:
        if "Ready to accept connections" in line:
            return process, port
    pytest.fail("redis-server did not start")


@pytest.fixture
def two_redis(settings):
    cache_server, cache_port = start_redis("--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru")
    counters_server, counters_port = start_redis("--maxmemory", "2mb", "--maxmemory-policy", "noeviction")
    common = {"BACKEND": "home.cache.FailSafeRedisCache", "OPTIONS": {"socket_timeout": 5}}
    settings.CACHES = {
        "default": {**common, "LOCATION": f"redis://127.0.0.1:{cache_port}/0"},
        "counters": {**common, "LOCATION": f"redis://127.0.0.1:{counters_port}/0"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    caches._settings = None
    try:
        yield redis.Redis(port=cache_port), redis.Redis(port=counters_port)
    finally:
        caches._settings = None
        for server in (cache_server, counters_server):
            server.terminate()
            server.communicate()


def ask_for_a_link(email):
    request = RequestFactory().post("/espace-candidat/", REMOTE_ADDR="203.0.113.7")
    return count_link_request(request, email)


def test_a_flood_of_cached_pages_leaves_the_counters_intact(settings, two_redis):
    cache_redis, counters_redis = two_redis
    settings.APPLICANTS_LINK_LIMIT_PER_ADDRESS = 3
    for _ in range(3):
        assert ask_for_a_link("awa@example.org") is None
    # Far more pages than the cache's memory holds.
    pages = page_cache()
    for number in range(400):
        pages.set("page", ["testserver", f"/histoires/?page={number}"], {"content": PAGE, "headers": []})
    assert int(cache_redis.info("stats")["evicted_keys"]) > 0  # the cache made room...
    assert counters_redis.dbsize() == 2  # ...and the counters are all there
    assert ask_for_a_link("awa@example.org") is not None  # the fourth link is still refused


def test_junk_query_strings_never_make_a_new_page_entry(client, home_page, two_redis):
    cache_redis, _counters = two_redis
    assert client.get("/")["X-Page-Cache"] == "miss"
    stored = cache_redis.dbsize()
    for number in range(50):
        response = client.get(f"/?utm_source=courriel&x={number}")
        assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    assert cache_redis.dbsize() == stored


def test_unknown_parameters_are_served_but_not_stored(client, home_page, settings):
    settings.PAGE_CACHE_SECONDS = 300
    assert client.get("/?ref=lettre").get("X-Page-Cache") is None  # rendered, not stored
    assert client.get("/?ref=lettre").get("X-Page-Cache") is None
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/?ref=autre")["X-Page-Cache"] == "hit"  # the page without the parameter
    assert client.get("/?page=2")["X-Page-Cache"] == "miss"  # a parameter pages read has its own entry
