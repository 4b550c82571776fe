"""The site's URLs, plus its public images served by Django: in production a bucket (or a CDN
in front of it) serves them, and nothing here measures that bucket."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

prefix = settings.MEDIA_URL.lstrip("/")
urlpatterns = [re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}), *urlpatterns]
