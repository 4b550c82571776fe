"""« Mes séances » in the applicant's space, for member laureates (/espace-candidat/mes-seances/),
and the one-click registration from a session's page.

Same sign-in and session as the space (``applicants.views.signed_in``: ``no-store``, the
sign-in page when signed out); the laureates are ``membership.member_laureates`` read on every
request, so a laureate who leaves the network loses this page at once. Every registration is
found among the signed-in laureates' own: another id is a 404. A session that has begun stays in
the list until it ends, as « En cours », without « Annuler » (``registration.cancel`` refuses it).
"""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applicants.views import redirect_303, signed_in

from . import calendar_feeds, ical, registration, registration_links
from .membership import member_laureates
from .models import Registration, RegistrationStatus, Role
from .registration_views import ics_response, not_open

UPCOMING_SHOWN = 20


def _laureates_or_404(request):
    laureates = member_laureates(request)
    if not laureates:
        raise Http404
    return laureates


def owned_registrations(laureates):
    return Registration.objects.filter(laureate__in=laureates).select_related("session", "laureate")


def _back(request, session):
    """Back to where the click came from: « Mes séances » or the session's page, never elsewhere."""
    if request.POST.get("depuis") == "seance" and session is not None and session.url:
        return redirect_303(session.url + "#inscription")
    return redirect_303(reverse("network_registration:mine"))


@signed_in
@require_POST
def register_view(request, pk):
    """A member laureate's one click on a session's page or in « Mes séances »."""
    laureates = member_laureates(request)
    session = registration.session_for(pk, Role.LAUREAT)
    if session is None or not laureates:
        return not_open(request)
    try:
        created = registration.register_laureate(session, laureates[-1])
    except registration.Refused as refused:
        messages.error(request, refused.message)
    else:
        if created.status == RegistrationStatus.CONFIRMEE:
            text = _(
                "Vous êtes inscrit ou inscrite à « %(title)s ». Un courriel de confirmation part avec le fichier "
                "pour votre agenda."
            )
        else:
            text = _(
                "La séance « %(title)s » est complète : vous êtes sur la liste d'attente, en position "
                "%(position)s. Vous serez prévenu par courriel si une place se libère."
            )
        messages.success(request, text % {"title": session.title, "position": registration.waiting_position(created)})
    return _back(request, session)


@signed_in
@require_GET
def mine_view(request):
    laureates = _laureates_or_404(request)
    now = timezone.now()
    # The live sessions' registrations, and those of a session the team cancelled (unpublished):
    # « Séance annulée par l'équipe » stays in the list until the session's date has passed.
    registrations = list(
        owned_registrations(laureates)
        .filter(Q(session__live=True) | Q(status=RegistrationStatus.SEANCE_ANNULEE))
        .order_by("session__starts_at", "pk")
    )
    active = [r for r in registrations if r.status in registration.ACTIVE]
    positions = registration.waiting_positions(active)
    for item in active:
        item.position = positions.get(item.pk)
        # Begun (the list keeps it until it ends): « En cours », and no « Annuler », which
        # ``registration.cancel`` would refuse.
        item.running = item.session.has_begun(now)
        item.place = ical.place_text(item.session, with_meeting_url=item.status == RegistrationStatus.CONFIRMEE)
    cancelled = [r for r in registrations if r.status == RegistrationStatus.SEANCE_ANNULEE]
    for item in cancelled:
        item.place = ical.place_text(item.session)
    taken = {r.session_id for r in active}
    open_sessions = [
        session
        for session in registration.registrable_sessions()
        .filter(starts_at__gt=now)
        .exclude(pk__in=taken)
        .order_by("starts_at", "pk")[:UPCOMING_SHOWN]
        if registration.is_open(session, now)
    ]
    for session in open_sessions:
        session.place = ical.place_text(session)
    context = {
        "upcoming": [r for r in registrations if r.session.ends_at >= now and (r in active or r in cancelled)],
        "past": [r for r in registrations if r.session.ends_at < now and r.status == RegistrationStatus.CONFIRMEE],
        "open_sessions": open_sessions,
    }
    feed = calendar_feeds.feed_for(laureate=laureates[-1])
    context["feed_url"] = registration_links.feed_url(feed) if feed else ""
    return render(request, "network/registration/mine.html", context)


def _owned_or_404(request, pk):
    found = owned_registrations(_laureates_or_404(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@signed_in
@require_POST
def mine_cancel_view(request, pk):
    found = _owned_or_404(request, pk)
    try:
        promoted = registration.cancel(found)
    except registration.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Votre inscription à « %(title)s » est annulée.") % {"title": found.session.title})
        if promoted:
            messages.info(
                request, _("Votre place revient à la première personne de la liste d'attente, prévenue par courriel.")
            )
    return redirect_303(reverse("network_registration:mine"))


@signed_in
@require_GET
def mine_ics_view(request, pk):
    found = _owned_or_404(request, pk)
    if found.status != RegistrationStatus.CONFIRMEE:
        raise Http404
    return ics_response(ical.session_file(found.session, with_meeting_url=True), ical.filename(found.session))


@signed_in
@require_POST
def mine_feed_view(request):
    laureate = _laureates_or_404(request)[-1]
    if request.POST.get("action") == "revoquer":
        calendar_feeds.revoke(laureate=laureate)
        messages.success(request, _("Votre lien d'agenda ne fonctionne plus. Vous pouvez en créer un nouveau."))
    else:
        calendar_feeds.renew(laureate=laureate)
        messages.success(request, _("Voici votre nouveau lien d'agenda ; l'ancien ne fonctionne plus."))
    return redirect_303(reverse("network_registration:mine") + "#agenda")
