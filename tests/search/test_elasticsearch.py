"""Elasticsearch: the fallback on every search view, the circuit breaker, retried index updates.

No Elasticsearch runs here: the backend points at a local HTTP server on loopback
(``tests.search.fake_elasticsearch``) that refuses connections, hangs, or answers 404, 429 or
500, and every request it receives is recorded. The site must answer each search view from
the database index, ask the failing cluster once at most per request, and not at all while
the circuit breaker is open. The tests marked ``elasticsearch`` (tests/search/
test_elasticsearch_live.py) need a real cluster at ELASTICSEARCH_URL.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.search.backends import get_search_backend

from config.settings import base
from search.elasticsearch import CircuitBreaker, ElasticsearchWithFallback
from search.indexing import FAILURES_KEY, RETRY_DELAYS, TASK_PATH, IndexUpdateFailed, retry_index_update
from stories.models import StoryPage
from tests.factories import ImageFactory, PartnerFactory, UserFactory
from tests.search.conftest import elasticsearch_backends
from tests.search.fake_elasticsearch import FakeElasticsearch, closed_port_url
from tests.stories.factories import StoryPageFactory

pytestmark = pytest.mark.django_db

FAILURES = ["refused", "hang", 404, 429, 500]


@pytest.fixture(params=FAILURES)
def failing(request, settings):
    """A cluster that fails one way; the settings point at it once the test's data exists
    (``point``), so that the index updates of the fixtures do not trip the breaker first."""
    mode = request.param
    with FakeElasticsearch("ok" if mode == "refused" else mode) as fake:
        url = closed_port_url() if mode == "refused" else fake.url

        def point():
            settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(url)
            CircuitBreaker._local.clear()
            cache.clear()
            return fake

        fake.point = point
        fake.mode_name = mode
        yield fake


@pytest.fixture
def admin(client, db):
    user = UserFactory(username="admin-recherche", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def once(fake):
    """Requests that reach a failing cluster in one search: one, none when it refuses."""
    return 0 if fake.mode_name == "refused" else 1


def titles_in(html, *titles):
    return [title for title in titles if title in html]


# --- Every search view falls back, asking the failing cluster once at most ----------------


def test_public_search_falls_back_and_says_so(failing, client, laureates):
    fake = failing.point()
    response = client.get("/recherche/", {"q": "negreneys", "theme": "inclusion-des-femmes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert ">La Passerelle Négreneys</a>" in html
    assert "mode réduit" in html
    # One request reached the cluster (none when it refuses connections): the first failure
    # opened the breaker, and the whole page was then read from the database.
    assert len(fake.requests) == once(fake)
    assert get_search_backend().breaker.is_open()


def test_a_search_without_results_waits_once_at_most(failing, client, laureates):
    """« Did you mean » asks the suggestions up to three times: none of them reaches a
    cluster that has just failed."""
    fake = failing.point()
    response = client.get("/recherche/", {"q": "negrenys"})
    html = response.content.decode()
    assert "La Passerelle Négreneys" in html  # suggested from the database index
    assert len(fake.requests) == once(fake)


def test_suggestions_fall_back(failing, client, laureates):
    fake = failing.point()
    for typed in ("négr", "negre"):
        response = client.get("/recherche/suggestions/", {"q": typed})
        assert response.status_code == 200
        assert [item["name"] for item in response.json()["suggestions"]] == ["La Passerelle Négreneys"]
    assert len(fake.requests) == once(fake)  # the second keystroke found the breaker open


def test_admin_page_search_falls_back(failing, admin, laureates):
    fake = failing.point()
    response = admin.get("/admin/pages/search/", {"q": "Négreneys"})
    assert response.status_code == 200
    assert "La Passerelle Négreneys" in response.content.decode()
    assert len(fake.requests) == once(fake)


def test_admin_image_search_falls_back(failing, admin):
    ImageFactory(title="Terrasse du Mirail")
    ImageFactory(title="Comptoir de Belleville")
    fake = failing.point()
    response = admin.get("/admin/images/", {"q": "Mirail"})
    assert response.status_code == 200
    html = response.content.decode()
    assert titles_in(html, "Terrasse du Mirail", "Comptoir de Belleville") == ["Terrasse du Mirail"]
    assert len(fake.requests) == once(fake)


def test_admin_snippet_search_falls_back(failing, admin):
    PartnerFactory(name="Fondation Zéphyr")
    PartnerFactory(name="Banque des Quartiers")
    fake = failing.point()
    response = admin.get("/admin/snippets/home/partner/", {"q": "Zéphyr"})
    assert response.status_code == 200
    html = response.content.decode()
    assert titles_in(html, "Fondation Zéphyr", "Banque des Quartiers") == ["Fondation Zéphyr"]
    assert len(fake.requests) == once(fake)


# --- The circuit breaker --------------------------------------------------------------------


def test_the_breaker_keeps_every_search_view_off_a_failing_cluster(failing, client, admin, laureates):
    fake = failing.point()
    client.get("/recherche/", {"q": "passerelle"})
    asked = len(fake.requests)
    assert get_search_backend().breaker.is_open()
    assert client.get("/recherche/", {"q": "marmite"}).status_code == 200
    assert client.get("/recherche/suggestions/", {"q": "marm"}).status_code == 200
    assert admin.get("/admin/pages/search/", {"q": "marmite"}).status_code == 200
    assert admin.get("/admin/images/", {"q": "marmite"}).status_code == 200
    assert len(fake.requests) == asked  # nothing more reached the cluster


def test_the_breaker_is_shared_through_the_cache_and_closes_after_its_window(settings, laureates, client):
    with FakeElasticsearch(500) as fake:
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(fake.url, breaker_seconds=30)
        cache.clear()
        client.get("/recherche/", {"q": "passerelle"})
        assert len(fake.requests) == 1
        # Another process: nothing in its own memory, the shared cache says « down ».
        CircuitBreaker._local.clear()
        assert get_search_backend().breaker.is_open()
        client.get("/recherche/", {"q": "marmite"})
        assert len(fake.requests) == 1
        # The window ends (the cache entry expires with it): the next search asks again.
        CircuitBreaker._local.clear()
        cache.delete(get_search_backend().breaker.key)
        fake.mode = "ok"
        response = client.get("/recherche/", {"q": "blague"})
        assert len(fake.requests) > 1
        assert "mode réduit" not in response.content.decode()


def test_a_bad_request_falls_back_without_opening_the_breaker(settings, laureates, client):
    """A 400 says this query was wrong, not that the cluster is down: the page still comes
    from the database, and the next search asks Elasticsearch again."""
    with FakeElasticsearch(400) as fake:
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(fake.url)
        response = client.get("/recherche/", {"q": "passerelle"})
        assert ">La Passerelle Négreneys</a>" in response.content.decode()
        assert not get_search_backend().breaker.is_open()
        client.get("/recherche/", {"q": "marmite"})
        assert len(fake.requests) == 2


def test_with_the_cache_down_the_process_still_remembers(settings, laureates, client):
    with FakeElasticsearch("hang") as fake:
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(fake.url)
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        client.get("/recherche/", {"q": "passerelle"})
        client.get("/recherche/", {"q": "marmite"})
        client.get("/recherche/suggestions/", {"q": "marm"})
        assert len(fake.requests) == 1


def test_the_client_retries_nothing(settings):
    settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends("http://127.0.0.1:9")
    backend = get_search_backend()
    assert isinstance(backend, ElasticsearchWithFallback)
    for client in (backend.es, backend.indexing_es):
        assert client._max_retries == 0
        assert client._retry_on_timeout is False
    assert backend.indexing_es._request_timeout == 0.5


# --- Index updates: retried through the task queue, counted, reported ------------------------


@pytest.fixture
def production_tasks(settings):
    settings.TASKS = {
        "default": {**base.TASKS["default"], "BACKEND": "home.task_backends.DatabaseBackendWithInlineTasks"}
    }


def retries():
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at"))


def run(queued):
    """What db_worker does with one queued task (it would also record its outcome)."""
    return queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def test_a_failed_index_update_is_retried_later_and_counted(
    settings, production_tasks, story_index, client, django_capture_on_commit_callbacks
):
    with FakeElasticsearch(500) as fake:
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(fake.url)
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            story = StoryPageFactory(parent=story_index, title="Le Zinc Bleu", business_name="Le Zinc Bleu")
        # The publish itself succeeded; the database index has the story.
        assert [p.title for p in get_search_backend("database").search("zinc", StoryPage)] == ["Le Zinc Bleu"]
        # The story and its image (StoryPageFactory makes one), each queued once.
        everything = retries()
        queued = [task for task in everything if task.args_kwargs["args"][1:3] == ["stories", "storypage"]]
        assert len(queued) == 1
        assert queued[0].args_kwargs["args"] == ["add", "stories", "storypage", str(story.pk), 1]
        assert queued[0].run_after >= before + datetime.timedelta(seconds=RETRY_DELAYS[0])
        assert cache.get(FAILURES_KEY) == len(everything) == 2

        readiness = client.get("/readyz/").json()
        search = readiness["checks"]["search"]
        assert search["pending_index_updates"] == 2
        assert search["index_update_errors"] == 2
        assert search["breaker"] == "open"
        assert search["status"] != "ok" and readiness["status"] == "degraded"

        # The cluster is back: the worker's retry indexes the story as it is now.
        fake.mode = "ok"
        fake.requests.clear()
        assert run(queued[0]) == "done"
        indexed = [r for r in fake.requests if r.method == "PUT" and r.path.endswith(f"/_doc/{story.pk}")]
        assert len(indexed) == 1
        assert indexed[0].path == f"/test_qc_wagtailcore_page/_doc/{story.pk}"
        assert indexed[0].body["title"] == "Le Zinc Bleu"


def test_an_update_that_keeps_failing_is_retried_then_fails_for_good(
    settings, production_tasks, story_index, django_capture_on_commit_callbacks
):
    story = StoryPageFactory(parent=story_index, title="Le Zinc Bleu")
    with FakeElasticsearch(429):
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(closed_port_url())
        with django_capture_on_commit_callbacks(execute=True):
            assert retry_index_update.call("add", "stories", "storypage", str(story.pk), 1) == "retried later"
        second = retries()[-1]
        assert second.args_kwargs["args"][-1] == 2
        last = len(RETRY_DELAYS)
        with pytest.raises(IndexUpdateFailed):
            retry_index_update.call("add", "stories", "storypage", str(story.pk), last)
        assert len(retries()) == 1  # no attempt after the last


def test_a_deleted_object_is_removed_from_the_index_on_retry(settings, story_index):
    story = StoryPageFactory(parent=story_index, title="Le Zinc Bleu")
    pk = story.pk
    with FakeElasticsearch("ok") as fake:
        story.delete()
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(fake.url)
        fake.requests.clear()
        assert retry_index_update.call("add", "stories", "storypage", str(pk), 2) == "done"
        assert fake.paths() == [f"DELETE /test_qc_wagtailcore_page/_doc/{pk}"]


def test_updates_skip_a_cluster_marked_down(
    settings, production_tasks, story_index, django_capture_on_commit_callbacks
):
    with FakeElasticsearch("hang") as fake:
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(fake.url)
        with django_capture_on_commit_callbacks(execute=True):
            StoryPageFactory(parent=story_index, title="Le Zinc Bleu")
            StoryPageFactory(parent=story_index, title="Le Zinc Rouge")
        # The first update waited (and failed); the next one went straight to the queue.
        assert len([r for r in fake.requests if "/_doc/" in r.path]) == 1
        assert len(retries()) >= 2


def test_readiness_with_a_healthy_cluster(settings, client):
    with FakeElasticsearch("ok") as fake:
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(fake.url)
        search = client.get("/readyz/").json()["checks"]["search"]
        assert search["status"] == "ok"
        assert search["breaker"] == "closed"
        assert search["backend"] == "elasticsearch"
        assert fake.paths() == ["HEAD /"]


def test_readiness_with_a_cluster_that_hangs_reports_it_and_opens_the_breaker(settings, client):
    with FakeElasticsearch("hang"):
        settings.WAGTAILSEARCH_BACKENDS = elasticsearch_backends(closed_port_url())
        body = client.get("/readyz/").json()
        assert body["status"] == "degraded"
        assert body["checks"]["search"]["status"] == "unavailable"
        assert get_search_backend().breaker.is_open()
