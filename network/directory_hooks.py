"""The directory in Wagtail's admin: its URL under /admin/annuaire/ and a menu item shown to
those who may read it (``directory_admin.can_see_directory``). Imported by
``NetworkConfig.ready``.
https://docs.wagtail.org/en/stable/reference/hooks.html
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import directory_admin


class DirectoryMenuItem(MenuItem):
    def is_shown(self, request):
        return directory_admin.can_see_directory(request)


@hooks.register("register_admin_urls")
def register_directory_urls():
    return [path("annuaire/", include((directory_admin.urlpatterns, directory_admin.app_name)))]


@hooks.register("register_admin_menu_item")
def directory_menu_item():
    return DirectoryMenuItem(
        _("Annuaire du réseau"), reverse("network_directory_admin:list"), icon_name="group", order=265
    )
