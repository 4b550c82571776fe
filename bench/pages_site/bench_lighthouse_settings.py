"""Settings for bench/lighthouse.py --serve: the development settings served as production
serves them — DEBUG off, gunicorn, WhiteNoise with compressed, hashed static files collected
beforehand — over a copy of a database holding the demo content."""

from config.settings.dev import *  # noqa: F403
from config.settings.dev import STORAGES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench_lighthouse_urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
