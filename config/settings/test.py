"""Settings for the test suite (pytest-django)."""

from .base import *
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / ".test-media" / "public"))
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / ".test-media" / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# client.login() passes no request, which django-axes needs; the throttling tests turn it on.
AXES_ENABLED = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# The page cache would serve a test the page an earlier request stored; its own tests turn
# it on (tests/home/test_page_cache.py).
PAGE_CACHE_SECONDS = 0
# The elapsed-time bound of a file's check depends on the machine's load: the tests assert
# outcomes, never a wall clock (tests/calls/test_attachments.py sets it where it is tested).
CALLS_UPLOAD_CHECK_SECONDS = 600.0
