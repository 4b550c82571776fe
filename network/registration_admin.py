"""The team's page « Inscriptions et invitation » of a session (``/admin/reseau/seances/<id>/
inscriptions/``), linked from the session's page in the admin (« Plus » menu and header).

It shows the seats (confirmed, awaiting confirmation, on the waiting list) and the partners'
invitation link to copy; « Nouveau lien d'invitation » changes the session's
``invitation_key``, so every link given before stops working. Anyone who may edit the page may
use it (Wagtail's page permissions); the people registered are listed by the attendance page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from . import registration, registration_links
from .models import Registration, RegistrationStatus, Role, SessionPage
from .registration_links import new_key


def _session(request, pk):
    session = get_object_or_404(SessionPage, pk=pk)
    if not session.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return session


def invitation_view(request, pk):
    session = _session(request, pk)
    if request.method == "POST":
        # The same random key the registrations' links use, shortened to the column's width.
        session.invitation_key = new_key()[:32]
        SessionPage.objects.filter(pk=session.pk).update(invitation_key=session.invitation_key)
        messages.success(request, _("Nouveau lien d'invitation : l'ancien ne fonctionne plus."))
        return redirect("network_registration_admin:invitation", session.pk)
    counts = {status: 0 for status in RegistrationStatus.values}
    for status in Registration.objects.filter(session=session).values_list("status", flat=True):
        counts[status] += 1
    context = {
        "session": session,
        "confirmed": counts[RegistrationStatus.CONFIRMEE],
        "waiting": counts[RegistrationStatus.LISTE_ATTENTE],
        "pending": registration.seats_taken(session) - counts[RegistrationStatus.CONFIRMEE],
        "seats_left": registration.seats_left(session),
        "invitation_url": registration_links.invitation_url(session)
        if Role.PARTENAIRE in registration.roles_allowed(session)
        else "",
        "form_url": reverse("network_registration:form", args=[session.pk])
        if Role.HABITANT in registration.roles_allowed(session)
        else "",
    }
    return TemplateResponse(request, "network/registration/admin_invitation.html", context)


@hooks.register("register_admin_urls")
def registration_admin_urls():
    urls = [path("<int:pk>/inscriptions/", invitation_view, name="invitation")]
    return [path("reseau/seances/", include((urls, "network_registration_admin")))]


LABEL = gettext_lazy("Inscriptions et invitation")


@hooks.register("register_page_listing_more_buttons")
def registrations_in_listing(page, user, next_url=None):
    if isinstance(page.specific_deferred, SessionPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            LABEL, reverse("network_registration_admin:invitation", args=[page.pk]), icon_name="group", priority=25
        )


@hooks.register("register_page_header_buttons")
def registrations_in_header(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, SessionPage) and page.permissions_for_user(user).can_edit():
        yield Button(
            LABEL, reverse("network_registration_admin:invitation", args=[page.pk]), icon_name="group", priority=25
        )
