from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import health
from home import views as home_views
from network.feeds import SessionAtomFeed, SessionFeed
from news.feeds import NewsAtomFeed, NewsFeed
from stories.feeds import StoryAtomFeed, StoryFeed

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
handler403 = "home.views.permission_denied"
# French 400 page; a request over DATA_UPLOAD_MAX_* (refused while the CSRF check reads it) gets a 413.
handler400 = "home.views.bad_request"

urlpatterns = [
    path("healthz/", home_views.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # Feeds (home/feeds.py): under /flux/, purged at the CDN on every page change (home/cdn.py).
    path("flux/actualites/rss/", NewsFeed(), name="news_rss"),
    path("flux/actualites/atom/", NewsAtomFeed(), name="news_atom"),
    path("flux/laureats/rss/", StoryFeed(), name="stories_rss"),
    path("flux/laureats/atom/", StoryAtomFeed(), name="stories_atom"),
    path("flux/agenda/rss/", SessionFeed(), name="agenda_rss"),
    path("flux/agenda/atom/", SessionAtomFeed(), name="agenda_atom"),
    path("admin/", include(wagtailadmin_urls)),
    path("recherche/", include("search.urls")),
    path("api/", include("territory.urls")),
    # The members' directory, in the space's session and under its prefix (never page-cached).
    path("espace-candidat/annuaire/", include("network.directory_urls")),
    path("espace-candidat/ressources/", include("network.resource_urls")),
    path("espace-candidat/", include("applicants.urls")),
    path("prevenez-moi/", include("mailing.urls")),
    # The network's registrations: /seances/…, /espace-candidat/mes-seances/, /flux/agenda.ics.
    path("", include("network.registration_urls")),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
