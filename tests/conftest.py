import pytest

from tests.cdn import PurgeEndpoint


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Each test writes its uploads and renditions into its own folders."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.MEDIA_ROOT},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.PRIVATE_MEDIA_ROOT, "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def home_page(db):
    from tests.factories import make_home

    return make_home()


@pytest.fixture
def cdn(settings):
    """Wagtail's frontend cache pointed at a loopback endpoint recording each purge (tests/cdn.py)."""
    endpoint = PurgeEndpoint()
    settings.WAGTAILFRONTENDCACHE = {
        "http": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": endpoint.url}
    }
    yield endpoint
    endpoint.close()
