"""The members' resources (/espace-candidat/ressources/), included by ``config/urls.py``."""

from django.urls import path

from . import resource_views

app_name = "network"
urlpatterns = [
    path("", resource_views.resources_view, name="resources"),
    path("<int:pk>/fichier/", resource_views.resource_file_view, name="resource_file"),
]
