from django.templatetags.static import static
from django.urls import include, path
from django.utils.html import format_html
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [path("localiser/", admin_views.locate, name="locate")]
    return [path("territoire/", include((urls, "territory_admin"), namespace="territory_admin"))]


@hooks.register("insert_editor_js")
def editor_js():
    return format_html('<script src="{}" defer></script>', static("territory/story-locate.js"))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("territory/admin.css"))
