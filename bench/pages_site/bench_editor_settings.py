"""Development settings for bench/call_editor.py: DEBUG off, no autosave, a trivial view beside the site."""

from config.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench_pages_urls"
# A background autosave would add requests to the measured ones.
WAGTAIL_AUTOSAVE_INTERVAL = 0
