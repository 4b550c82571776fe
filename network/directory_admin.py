"""The directory in Wagtail's admin (/admin/annuaire/): the team reads the same list as the
members, with the same filters and search (``directory.entries``: the database, never the
public search index). For the team holding the laureates' view permission
(``laureates.view_laureate``); anyone else signed in to the admin gets the site's 403 page. The
URLs and the menu item are registered by ``directory_hooks.py``."""

import functools

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from home.views import permission_denied
from stories.models import Theme

from . import directory
from .directory_forms import DirectoryFilterForm
from .membership import TEAM_PERMISSION

ADMIN_PAGE_SIZE = 50


def can_see_directory(request):
    # Wagtail's own check (``access_admin``) guards every admin URL; the laureates' view
    # permission decides here, as for the laureates' admin (« Modérateurs » hold it).
    user = request.user
    return user.is_authenticated and user.has_perm(TEAM_PERMISSION)


def team_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_see_directory(request):
            return permission_denied(request)
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped


@team_only
def directory_admin_view(request):
    themes = list(Theme.objects.order_by("name"))
    form = DirectoryFilterForm(request.GET if request.GET.keys() - {"p"} else None, themes=themes)
    filters = form.filters()
    paginator = Paginator(directory.entries(**filters), ADMIN_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("p"))
    context = {
        "form": form,
        "entries": [directory.describe(laureate) for laureate in page.object_list],
        "page": page,
        "total": paginator.count,
        "page_query": urlencode(filters),
        "active_count": len(filters),
    }
    return TemplateResponse(request, "network/directory/admin.html", context)


app_name = "network_directory_admin"
urlpatterns = [path("", directory_admin_view, name="list")]
