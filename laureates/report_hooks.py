"""The sponsor's report in Wagtail's admin: its URLs under /admin/rapports/ and a menu item
shown to those who may read it (``report_views.can_see_reports``). Imported by
``LaureatesConfig.ready``."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import report_views


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return report_views.can_see_reports(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("rapports/", include((report_views.urlpatterns, report_views.app_name)))]


@hooks.register("register_admin_menu_item")
def report_menu_item():
    return ReportMenuItem(_("Rapports au mécène"), reverse("laureates_reports:index"), icon_name="doc-full", order=260)
