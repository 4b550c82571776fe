"""The coaching plan's admin pages, registered with Wagtail (imported by ``apps.ready``)."""

from django.urls import include, path
from wagtail import hooks

from . import plan_views


@hooks.register("register_admin_urls")
def register_plan_urls():
    return [path("laureats/parcours/", include((plan_views.urlpatterns, plan_views.app_name)))]
