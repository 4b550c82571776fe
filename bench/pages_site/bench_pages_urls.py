"""The site's URLs plus /bench-trivial/: the floor every page is compared with (the same
middleware, no template, no query)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


@never_cache  # measured through the page-cache middleware, never served by it
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench-trivial/", trivial), *urlpatterns]
