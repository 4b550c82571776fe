"""The team's pages after a session, registered with Wagtail (imported by
``NetworkConfig.ready``: Wagtail discovers ``wagtail_hooks`` only, which holds the sessions'
admin): the attendance's URLs under /admin/reseau/presences/, its menu item and the
dashboard's panel, shown to those who may read them (``attendance_views.can_see_attendance``),
and the « Ressources du réseau » viewset (``resource_admin``)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import attendance_views
from .dashboard import AttendancePanel
from .resource_admin import resource_viewset


class AttendanceMenuItem(MenuItem):
    def is_shown(self, request):
        return attendance_views.can_see_attendance(request.user)


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [path("reseau/presences/", include((attendance_views.urlpatterns, attendance_views.app_name)))]


@hooks.register("register_admin_menu_item")
def attendance_menu_item():
    return AttendanceMenuItem(
        _("Présences aux séances"), reverse("network_attendance:index"), icon_name="tasks", order=232
    )


@hooks.register("construct_homepage_panels")
def add_attendance_panel(request, panels):
    """Sessions held, attendance per session and per laureate (the team)."""
    if attendance_views.can_see_attendance(request.user):
        panels.append(AttendancePanel())


@hooks.register("register_admin_viewset")
def register_resources():
    return resource_viewset
