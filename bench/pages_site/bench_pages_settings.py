"""Production settings for bench/pages.py: the site's own, with a trivial view beside it."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_pages_urls"
