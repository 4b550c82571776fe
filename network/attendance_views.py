"""The team's attendance pages in the admin (/admin/reseau/presences/): the sessions with
their counts and exports, and one session's list of confirmed registrations to mark
« présent », « absent » or « excusé ».

The list is one plain form (radio buttons as large tap targets, one « Enregistrer » at the
bottom): it works on a phone and without JavaScript. Each row posts the value it showed and
the value chosen; ``attendance.mark_attendance`` writes only the changes, with who and when.

Moderators with the laureates' and the registrations' permissions only
(``moderation.view_all_applications``, ``laureates.view_laureate``,
``network.view_registration``; marking needs ``network.change_registration``); anyone else
signed in to the admin gets the site's 403 page, an unknown session a 404.
"""

import functools

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from home.views import permission_denied
from moderation import access

from . import attendance, dashboard, exports
from .models import Attendance, SessionPage

FORMATS = ("csv", "xlsx")
MARKED_CHOICES = [
    (Attendance.PRESENT, gettext_lazy("Présent")),
    (Attendance.ABSENT, gettext_lazy("Absent")),
    (Attendance.EXCUSE, gettext_lazy("Excusé")),
]


def can_see_attendance(user):
    return (
        access.is_moderator(user)
        and user.has_perm("laureates.view_laureate")
        and user.has_perm("network.view_registration")
    )


def can_mark_attendance(user):
    return can_see_attendance(user) and user.has_perm("network.change_registration")


def team_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_see_attendance(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return wrapped


class AttendanceForm(forms.Form):
    """One radio group per confirmed registration (``presence-<id>``) and the value it showed
    (``affiche-<id>``, hidden). A group left without a choice keeps its value."""

    def __init__(self, registrations, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = list(registrations)
        for registration in self.registrations:
            self.fields[f"presence-{registration.pk}"] = forms.ChoiceField(
                label=person_label(registration),
                choices=MARKED_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                initial=registration.attendance if registration.attendance != Attendance.INCONNUE else None,
                error_messages={"invalid_choice": _("Choisissez présent, absent ou excusé.")},
            )
            self.fields[f"affiche-{registration.pk}"] = forms.ChoiceField(
                choices=Attendance.choices, widget=forms.HiddenInput, initial=registration.attendance, required=False
            )

    def rows(self):
        """``[(registration, radio field, hidden field)]`` for the template."""
        return [(r, self[f"presence-{r.pk}"], self[f"affiche-{r.pk}"]) for r in self.registrations]

    def choices(self):
        """``{registration id: (shown, chosen)}`` for ``attendance.mark_attendance``; a row the
        post did not carry (a person registered after the list was drawn) is left alone."""
        data = self.cleaned_data
        wanted = {}
        for registration in self.registrations:
            shown = data.get(f"affiche-{registration.pk}")
            if shown:
                wanted[registration.pk] = (shown, data.get(f"presence-{registration.pk}") or shown)
        return wanted


def person_label(registration):
    """What the list shows of a person: a laureate's business, else the name given."""
    if registration.laureate_id:
        return registration.laureate.business_name
    return registration.name


def _session(pk):
    session = SessionPage.objects.select_related("kind").filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def attendance_url(session_pk):
    return reverse("network_attendance:session", args=[session_pk])


@team_only
def index_view(request):
    sessions = (
        SessionPage.objects.select_related("kind").annotate(**dashboard.session_counts()).order_by("-starts_at", "-pk")
    )
    return TemplateResponse(
        request,
        "network/admin/attendance_index.html",
        {
            "sessions": sessions,
            "held": dashboard.held_count(),
            "held_rows": dashboard.per_session(),
            "laureates": dashboard.per_laureate(),
            "formats": FORMATS,
        },
    )


def _render(request, session, form, status=200):
    return TemplateResponse(
        request,
        "network/admin/attendance.html",
        {
            "session": session,
            "place": exports.place_of(session),
            "form": form,
            "rows": form.rows(),
            "can_mark": can_mark_attendance(request.user),
            "held": attendance.is_held(session),
            "formats": FORMATS,
        },
        status=status,
    )


@team_only
def session_view(request, pk):
    session = _session(pk)
    registrations = attendance.confirmed(session)
    if request.method != "POST":
        return _render(request, session, AttendanceForm(registrations))
    if not can_mark_attendance(request.user):
        return permission_denied(request)
    form = AttendanceForm(registrations, request.POST)
    if not form.is_valid():
        messages.error(request, _("Les présences ne sont pas enregistrées : corrigez ce qui est indiqué."))
        return _render(request, session, form, status=400)
    if not attendance.is_held(session):
        messages.error(request, _("La séance n'a pas encore commencé : les présences se notent après son début."))
        return _render(request, session, form, status=400)
    try:
        marked = attendance.mark_attendance(session, request.user, form.choices())
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages) + " " + _("Rien n'a été enregistré."))
        return _render(request, session, AttendanceForm(attendance.confirmed(session)), status=400)
    if marked.changed:
        count = len(marked.changed)
        messages.success(
            request,
            ngettext(
                "Présence enregistrée pour %(count)d personne.",
                "Présences enregistrées pour %(count)d personnes.",
                count,
            )
            % {"count": count},
        )
    elif not marked.conflicts:
        messages.info(request, _("Aucun changement : les présences étaient déjà à jour."))
    if marked.conflicts:
        names = ", ".join(person_label(registration) for registration in marked.conflicts)
        messages.warning(
            request,
            _("Changé entre-temps par quelqu'un d'autre, laissé tel quel : %(names)s. Vérifiez ces lignes.")
            % {"names": names},
        )
    response = HttpResponseRedirect(attendance_url(session.pk))
    response.status_code = 303
    return response


@team_only
def export_view(request, pk, spreadsheet_format):
    session = get_object_or_404(SessionPage, pk=pk)
    found = exports.registrations([session])
    return exports.response(found, request.user, spreadsheet_format, f"inscriptions-seance-{session.pk}")


@team_only
def export_all_view(request, spreadsheet_format):
    return exports.response(exports.registrations(), request.user, spreadsheet_format, "inscriptions-seances")


app_name = "network_attendance"
urlpatterns = [
    path("", index_view, name="index"),
    path("<int:pk>/", session_view, name="session"),
    *[
        path(f"<int:pk>/export.{extension}", export_view, {"spreadsheet_format": extension}, name=f"export_{extension}")
        for extension in FORMATS
    ],
    *[
        path(f"export.{extension}", export_all_view, {"spreadsheet_format": extension}, name=f"export_all_{extension}")
        for extension in FORMATS
    ],
]
