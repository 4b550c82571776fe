"""The resources page of the network's space (/espace-candidat/ressources/) and the download of a
resource's file (/espace-candidat/ressources/<id>/fichier/), for those ``resources.visible_to``
allows: member laureates signed in to the space, the people registered to a session for its
minutes, and the team.

Nothing here is public: every response is ``private, no-store`` (never in the page cache, a
CDN or the search index), a file is sent by ``calls.attachments.storage.download_response``
from the private storage, never from /documents/, and anyone not allowed — a visitor, a
member not registered to the session, a laureate who left the network — gets a 404 for a
file, exactly as for an id that does not exist.
"""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from applicants.auth import signed_in_email
from calls.attachments.storage import download_response
from home.private import private_view

from . import membership, resources


@private_view
def resources_view(request):
    visible = list(resources.visible_to(request).select_related("session").order_by("-created_at", "-pk"))
    if not visible and not membership.is_member(request):
        if signed_in_email(request) is None and not request.user.is_authenticated:
            space_url = reverse("applicants:space") + "?" + urlencode({"suite": request.path})
            return HttpResponseRedirect(space_url)
        raise Http404
    sessions, shared = {}, []
    for resource in visible:
        if resource.session_id is None:
            shared.append(resource)
        else:
            sessions.setdefault(resource.session, []).append(resource)
    by_session = sorted(sessions.items(), key=lambda item: item[0].starts_at, reverse=True)
    return render(request, "network/resources.html", {"shared": shared, "by_session": by_session})


def file_response(resource):
    """``resource``'s file as a download (the name the team gave, from the private storage,
    ``private, no-store``), or ``Http404`` when there is none: the caller has checked who
    may open it (``resources.may_open`` here, ``resources.for_registration`` for a
    registration's link)."""
    if resource is None or not resource.file:
        raise Http404
    return download_response(resource.file, resource.original_name, resource.content_type)


@private_view
def resource_file_view(request, pk):
    return file_response(resources.may_open(request, pk))
