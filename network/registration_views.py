"""Registration's public pages: a resident's form, a partner's invitation, the person's link
(confirm, cancel, the ``.ics``), the calendar feeds.

- The form (``/seances/<id>/inscription/``) is for sessions open to everyone; the invitation
  (``/seances/invitation/<token>/``) for partners of the sessions open to them. A session that
  is not live, or not open to that role, is a 404 with a French message: a guessed or forged id
  learns nothing, a members-only session stays invisible. The form's POST is rate-limited per
  client (``home/ratelimit.py``, ``NETWORK_REGISTRATION_LIMIT`` per
  ``NETWORK_REGISTRATION_WINDOW`` seconds) and answers the same whether the address was already
  registered or not: its owner reads which in their mailbox.
- The person's link (``/seances/inscription/<token>/``): GET shows the registration and a
  button (mail scanners open links), POST confirms or cancels. Once the session is held, a
  confirmed registration's page lists its session's resources for the confirmed
  registrations (``resources.for_registration``), each file downloaded under the same link
  (``/seances/inscription/<token>/documents/<id>/``, ``resource_views.file_response``).
- The feeds: ``/seances/agenda/<token>/`` (a person's, private, ``no-store``) and
  ``/flux/agenda.ics`` (the public sessions).
Every page holding a secret in its path is ``no-store``, ``noindex`` and masked in logs.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from home import ratelimit
from home.private import private_view

from . import attendance, calendar_feeds, ical, registration, registration_links, resource_views, resources
from .models import RegistrationStatus, Role, SessionPage
from .registration_forms import PersonRegistrationForm


def redirect_303(url):
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def not_open(request):
    """The answer for a session that does not exist, is not live, or is not open to this
    person: the same 404 whatever the reason."""
    return render(request, "network/registration/not_found.html", status=404)


def _too_many(request, retry_after):
    context = {"retry_after_minutes": max(1, -(-retry_after // 60))}
    response = render(request, "network/registration/too_many.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _person_form(request, session, role, action):
    form = PersonRegistrationForm(request.POST or None)
    refusal = None
    if request.method == "POST":
        retry_after = ratelimit.over(
            request,
            "network:register",
            limit=settings.NETWORK_REGISTRATION_LIMIT,
            seconds=settings.NETWORK_REGISTRATION_WINDOW,
            what="Rate limit of the sessions' registration form not applied",
        )
        if retry_after is not None:
            return _too_many(request, retry_after)
        if form.is_valid():
            try:
                registration.register_person(
                    session, name=form.cleaned_data["name"], email=form.cleaned_data["email"], role=role
                )
            except registration.Refused as refused:
                refusal = refused.message
            else:
                return redirect_303(reverse("network_registration:thanks"))
    elif not registration.is_open(session):
        try:
            registration.check_open(session)
        except registration.Refused as refused:
            refusal = refused.message
    context = {
        "session": session,
        "form": form,
        "action": action,
        "refusal": refusal,
        "role": role,
        "place": ical.place_text(session),
        "seats_left": registration.seats_left(session),
        "hours": settings.NETWORK_CONFIRMATION_HOURS,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "network/registration/form.html", context, status=status)


@private_view
@require_http_methods(["GET", "HEAD", "POST"])
def form_view(request, pk):
    session = registration.session_for(pk, Role.HABITANT)
    if session is None:
        return not_open(request)
    return _person_form(request, session, Role.HABITANT, reverse("network_registration:form", args=[pk]))


def session_from_invitation(token):
    parts = registration_links.split(token)
    if parts is None:
        return None
    pk, signature = parts
    session = registration.session_for(pk, Role.PARTENAIRE)
    if session is None or not registration_links.matches(
        registration_links.INVITATION, pk, session.invitation_key, signature
    ):
        return None
    return session


@private_view
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_view(request, token):
    session = session_from_invitation(token)
    if session is None:
        return render(request, "network/registration/invitation_invalid.html", status=404)
    return _person_form(request, session, Role.PARTENAIRE, request.path)


def thanks_view(request):
    return render(request, "network/registration/thanks.html", {"hours": settings.NETWORK_CONFIRMATION_HOURS})


@private_view
@require_http_methods(["GET", "HEAD", "POST"])
def manage_view(request, token):
    """The person's link: GET shows the registration; POST ``confirmer`` or ``annuler``."""
    found = registration.registration_from_token(token)
    if found is None:
        return render(request, "network/registration/link_invalid.html", status=400)
    refusal = done = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirmer":
                found = registration.confirm(found)
                done = "confirmee" if found.status == RegistrationStatus.CONFIRMEE else "liste_attente"
            elif action == "annuler":
                registration.cancel(found)
                done = "annulee"
            else:
                refusal = _("Choisissez « Confirmer mon inscription » ou « Annuler mon inscription ».")
        except registration.Refused as refused:
            refusal = refused.message
        found = registration.registration_from_token(token) or found
    elif registration.is_expired(found):
        refusal = registration.expired_message()
    session = SessionPage.objects.get(pk=found.session_id)
    context = {
        "registration": found,
        "session": session,
        "token": token,
        "refusal": refusal,
        "done": done,
        "place": ical.place_text(session, with_meeting_url=found.status == RegistrationStatus.CONFIRMEE),
        "position": registration.waiting_position(found),
        "expired": registration.is_expired(found),
        # A session that has started cannot be cancelled (``registration.cancel`` refuses it):
        # no button that can only be refused.
        "can_cancel": found.status in registration.ACTIVE
        and not registration.is_expired(found)
        and not attendance.is_held(session),
    }
    feed = calendar_feeds.feed_for(email=found.email) if found.status == RegistrationStatus.CONFIRMEE else None
    context["feed_url"] = registration_links.feed_url(feed) if feed else ""
    context["resources"] = list(resources.for_registration(found).order_by("-created_at", "-pk"))
    return render(request, "network/registration/manage.html", context, status=400 if refusal else 200)


@private_view
@require_GET
def manage_resource_view(request, token, pk):
    """A file of the session's resources for a confirmed person, by their link; a link that
    does not work answers as the page does, any other resource is a 404."""
    found = registration.registration_from_token(token)
    if found is None:
        return render(request, "network/registration/link_invalid.html", status=400)
    return resource_views.file_response(resources.for_registration(found).filter(pk=pk).first())


@private_view
@require_GET
def manage_ics_view(request, token):
    """The session's ``.ics`` for a confirmed person (with the meeting link)."""
    found = registration.registration_from_token(token)
    if found is None or found.status != RegistrationStatus.CONFIRMEE:
        return render(request, "network/registration/link_invalid.html", status=400)
    return ics_response(ical.session_file(found.session, with_meeting_url=True), ical.filename(found.session))


@private_view
@require_http_methods(["POST"])
def manage_feed_view(request, token):
    """A confirmed person's private feed: a new link (the old one stops) or none."""
    found = registration.registration_from_token(token)
    if found is None or found.status != RegistrationStatus.CONFIRMEE:
        return render(request, "network/registration/link_invalid.html", status=400)
    if request.POST.get("action") == "revoquer":
        calendar_feeds.revoke(email=found.email)
    else:
        calendar_feeds.renew(email=found.email)
    return redirect_303(reverse("network_registration:manage", args=[token]) + "#agenda")


def ics_response(content, filename, *, attachment=True):
    response = HttpResponse(content, content_type=ical.CONTENT_TYPE)
    if attachment:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@private_view
@require_GET
def feed_view(request, token):
    state, feed = calendar_feeds.feed_from_token(token)
    if state == calendar_feeds.REVOKED:
        return render(request, "network/registration/feed_revoked.html", status=410)
    if state != calendar_feeds.VALID:
        return render(request, "network/registration/feed_invalid.html", status=404)
    return ics_response(calendar_feeds.private_calendar(feed), "mes-seances.ics", attachment=False)


@require_GET
def public_feed_view(request):
    return ics_response(calendar_feeds.public_calendar(), "agenda.ics", attachment=False)
