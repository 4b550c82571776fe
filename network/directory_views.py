"""The members' directory in the space (/espace-candidat/annuaire/): the list with its
filters and search, and the laureate's own profile.

Same sign-in and session as the applicant's space (``applicants.auth``, the emailed one-time
links): signed out, the space's sign-in page with this page as the next step; signed in with
an address that is no member laureate's (an applicant, a laureate who left the network), a
404. Membership is read from the database on every request (``membership``), so a laureate
who leaves loses access at the next request. The team (a staff user with the laureates' view
permission) reads the list too. Every response is ``Cache-Control: private, no-store``
(``home.private.private_view``), and the paths are under the space's prefix, which the
anonymous page cache never stores (``PAGE_CACHE_EXCLUDED_PATHS``).
"""

import functools

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applicants import auth
from applicants.views import redirect_303
from home.private import private_view
from stories.models import Theme

from . import directory
from .directory_forms import DirectoryFilterForm, DirectoryProfileForm
from .membership import is_team, member_laureates


def members_only(view):
    """The signed-in member laureates' records as ``request.network_laureates`` (a list,
    empty for the team); signed out: the space's sign-in; anyone else: a 404."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        laureates = member_laureates(request)
        if not laureates and not is_team(request):
            if auth.signed_in_email(request) is None:
                query = urlencode({"suite": request.path}) if request.method in ("GET", "HEAD") else ""
                return HttpResponseRedirect(reverse("applicants:space") + (f"?{query}" if query else ""))
            raise Http404
        request.network_laureates = laureates
        return view(request, *args, **kwargs)

    return private_view(wrapped)


def _themes():
    return list(Theme.objects.order_by("name"))


@members_only
def directory_view(request):
    themes = _themes()
    form = DirectoryFilterForm(request.GET if request.GET.keys() - {"page"} else None, themes=themes)
    filters = form.filters()
    paginator = Paginator(directory.entries(**filters), directory.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = {name: value for name, value in filters.items()}
    context = {
        "form": form,
        "entries": [directory.describe(laureate) for laureate in page.object_list],
        "page": page,
        "total": paginator.count,
        "page_query": urlencode(query),
        "active_count": len(filters),
        "own": request.network_laureates,
        "own_ids": {laureate.pk for laureate in request.network_laureates},
    }
    return render(request, "network/directory/list.html", context)


def _owned(request, pk):
    for laureate in request.network_laureates:
        if laureate.pk == pk:
            return laureate
    raise Http404


@members_only
@require_http_methods(["GET", "HEAD", "POST"])
def profile_view(request, pk):
    """The laureate's own profile: another laureate's id (or the team's request) is a 404."""
    laureate = _owned(request, pk)
    profile = directory.DirectoryProfile.objects.filter(laureate=laureate).first()
    themes = Theme.objects.order_by("name")
    form = DirectoryProfileForm(request.POST or None, instance=profile, laureate=laureate, themes=themes)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changed = directory.save_profile(laureate, form.cleaned_data)
            if changed:
                messages.success(
                    request, _("Votre fiche est enregistrée : les membres voient maintenant ces changements.")
                )
            else:
                messages.info(request, _("Rien n'a changé dans votre fiche."))
            return redirect_303(reverse("directory:profile", args=[laureate.pk]))
        status = 400
    context = {
        "laureate": laureate,
        "form": form,
        "entry": directory.describe(directory.member_records().get(pk=laureate.pk)),
    }
    return render(request, "network/directory/profile.html", context, status=status)
