"""The members' directory, under the space's prefix (/espace-candidat/annuaire/): same
session, never stored by the anonymous page cache (``PAGE_CACHE_EXCLUDED_PATHS``)."""

from django.urls import path

from . import directory_views

app_name = "directory"
urlpatterns = [
    path("", directory_views.directory_view, name="list"),
    path("ma-fiche/<int:pk>/", directory_views.profile_view, name="profile"),
]
