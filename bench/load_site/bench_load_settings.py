"""Production settings for bench/load.py, except the cookies' Secure flag: the bench speaks
plain HTTP on loopback, where a browser (and the bench's client) would not send them back.

With ``BENCH_KILL_WINDOWS`` set (the ``kill`` scenario), the private storage and one outer
middleware pause where the bench wants its SIGKILL to land (bench_load_hooks.py): between a
file's write and the commit, and between the commit and the response. Only here, never in
the project's own settings.
"""

import os

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE, PRIVATE_MEDIA_ROOT, STORAGES

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

if os.environ.get("BENCH_KILL_WINDOWS"):
    STORAGES = {
        **STORAGES,
        "private": {
            "BACKEND": "bench_load_hooks.PausingStorage",
            "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
        },
    }
    MIDDLEWARE = ["bench_load_hooks.PauseAfterCommitMiddleware", *MIDDLEWARE]
