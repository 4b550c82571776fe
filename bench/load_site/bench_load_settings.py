"""Production settings for bench/load.py, except the cookies' Secure flag: the bench speaks
plain HTTP on loopback, where a browser (and the bench's client) would not send them back."""

from config.settings.production import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
