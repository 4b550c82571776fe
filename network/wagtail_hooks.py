"""Admin registration: the kinds of session (a snippet the team extends), and the refusal to
delete a session whose registered people are not told yet."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import registration
from .models import SessionKind, SessionPage


class SessionKindViewSet(SnippetViewSet):
    model = SessionKind
    icon = "date"
    menu_label = gettext_lazy("Types de séance")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    ordering = ["sort_order", "name"]


register_snippet(SessionKindViewSet)


# --- Deleting a session that still has people to tell ----------------------------------------


def sessions_to_tell(pages):
    """The sessions among ``pages`` and their descendants whose deletion would lose people to
    tell (``registration.people_to_tell``)."""
    found = []
    for page in pages:
        for session in SessionPage.objects.descendant_of(page, inclusive=True):
            if registration.people_to_tell(session):
                found.append(session)
    return found


def _refuse(request, sessions):
    titles = ", ".join(f"« {session.title} »" for session in sessions)
    messages.error(
        request,
        _(
            "Des personnes sont inscrites à %(titles)s. Dépubliez d'abord la séance : chaque personne "
            "inscrite est prévenue par courriel de l'annulation. Vous pourrez la supprimer une fois les "
            "courriels partis (quelques minutes)."
        )
        % {"titles": titles},
    )
    return redirect("wagtailadmin_pages:edit", sessions[0].pk)


@hooks.register("before_delete_page")
def refuse_deleting_sessions_to_tell(request, page):
    """Deleting a session removes its registrations and their emails (a cascade): while someone
    is still to be told, the deletion is refused and the team unpublishes instead (which
    cancels the session and tells everyone: ``registration_signals``)."""
    sessions = sessions_to_tell([page])
    if sessions:
        return _refuse(request, sessions)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_sessions_to_tell(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    sessions = sessions_to_tell([page for page in objects if isinstance(page, Page)])
    if sessions:
        return _refuse(request, sessions)
    return None
