import pytest

from stories.models import Theme
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory


@pytest.fixture
def story_index(home_page):
    return StoryIndexPageFactory(parent=home_page)


@pytest.fixture
def themes(db):
    return {theme.slug: theme for theme in Theme.objects.all()}


@pytest.fixture
def laureates(story_index, themes):
    """The three named laureates of the programme, with distinct regions, kinds and themes."""
    blague = StoryPageFactory(
        parent=story_index,
        title="La Blague",
        business_name="La Blague",
        town="Aubervilliers",
        region="ile-de-france",
        kind="cafe",
        summary="Un café associatif qui propose des repas suspendus et des ordinateurs en accès libre.",
        themes=[themes["acces-au-numerique"], themes["emploi"]],
    )
    passerelle = StoryPageFactory(
        parent=story_index,
        title="La Passerelle Négreneys",
        business_name="La Passerelle Négreneys",
        town="Toulouse",
        region="occitanie",
        kind="tiers-lieu",
        summary="Un tiers-lieu où les femmes du quartier se forment et montent leurs projets.",
        themes=[themes["inclusion-des-femmes"]],
    )
    marmite = StoryPageFactory(
        parent=story_index,
        title="La Marmite Joyeuse",
        business_name="La Marmite Joyeuse",
        town="Marseille",
        region="provence-alpes-cote-d-azur",
        kind="restaurant",
        summary="Un restaurant solidaire avec un jardin partagé et des ateliers parents-enfants.",
        themes=[themes["alimentation-durable"], themes["parentalite"]],
    )
    epicerie = StoryPageFactory(
        parent=story_index,
        title="Épicerie du Mirail",
        business_name="Épicerie du Mirail",
        town="Toulouse",
        region="occitanie",
        kind="epicerie",
        summary="Une épicerie solidaire : produits de première nécessité à 10 % de leur prix réel.",
        themes=[themes["alimentation-durable"]],
    )
    return {"blague": blague, "passerelle": passerelle, "marmite": marmite, "epicerie": epicerie}


@pytest.fixture(autouse=True)
def _breaker_closed():
    """Each test starts with Elasticsearch's circuit breaker closed in this process (the
    shared cache is cleared by tests/conftest.py)."""
    from search.elasticsearch import CircuitBreaker

    CircuitBreaker._local.clear()
    yield
    CircuitBreaker._local.clear()


def elasticsearch_backends(url, *, timeout=0.5, index_timeout=0.5, breaker_seconds=30, **extra):
    """WAGTAILSEARCH_BACKENDS as config/settings/base.py builds them for ``url``."""
    from search.es_settings import backend_settings

    default = backend_settings(
        url,
        index_prefix="test_qc_",
        timeout=timeout,
        index_timeout=index_timeout,
        breaker_seconds=breaker_seconds,
        **extra,
    )
    return {
        "default": default,
        "database": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french_unaccent"},
    }
