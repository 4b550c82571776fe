"""The registration emails, built when they are sent from the registration's state then.

- ``verification``: the link confirming a resident's or partner's address (double opt-in);
- ``confirmation``: registered (with the session's ``.ics``), or on the waiting list;
- ``promotion``: a seat came free, the person is registered (``.ics``);
- ``rappel``: the day before (``.ics``);
- ``changement``: the date, times or place changed (``.ics`` with the new ``SEQUENCE``);
- ``annulation``: the registration is cancelled (``.ics`` with ``STATUS:CANCELLED``);
- ``seance_annulee``: the team cancelled the session (``.ics`` with ``STATUS:CANCELLED``, the
  same ``UID`` and the bumped ``SEQUENCE``, for those who held a seat; the waiting list is told
  without it: their calendar never had the session).

A laureate's email links to « Mes séances » in their space; a resident's or partner's to their
registration's page (``registration_links``: confirm, cancel, the ``.ics``).
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from home.links import absolute_url

from . import ical, registration_links
from .models import EmailKind, RegistrationStatus

Status = RegistrationStatus
Kind = EmailKind


def recipient(registration):
    if registration.laureate_id:
        laureate = registration.laureate
        return laureate.contact_email if laureate.is_member else ""
    return registration.email


def _manage_lines(registration):
    if registration.laureate_id:
        return [_("Vos séances, votre agenda et l'annulation :"), absolute_url(reverse("network_registration:mine"))]
    return [
        _("Votre inscription (confirmer, annuler, ajouter à votre agenda) :"),
        registration_links.registration_url(registration),
    ]


def _facts(session, *, with_meeting_url):
    lines = [
        _("Séance : %(title)s") % {"title": session.title},
        _("Date : %(when)s (heure de Paris)") % {"when": session.when_text()},
        _("Lieu : %(place)s") % {"place": ical.place_text(session, with_meeting_url=with_meeting_url)},
    ]
    url = ical.session_url(session)
    if url:
        lines.append(_("La page de la séance : %(url)s") % {"url": url})
    return lines


def _message(registration, subject, lines, *, attach=False, cancelled=False):
    session = registration.session
    name = registration.laureate.contact_name if registration.laureate_id else registration.name
    body = "\n".join(
        [
            _("Bonjour %(name)s,") % {"name": name} if name else _("Bonjour,"),
            "",
            *lines,
            "",
            "-- ",
            _("Quartiers Cafés — ce courriel est envoyé automatiquement."),
        ]
    )
    message = EmailMessage(
        subject=f"{subject} — {session.title}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient(registration)],
    )
    if attach:
        content = ical.session_file(session, with_meeting_url=not cancelled, cancelled=cancelled)
        message.attach(ical.filename(session), content, "text/calendar; method=PUBLISH; charset=utf-8")
    return message


def verification(registration):
    hours = settings.NETWORK_CONFIRMATION_HOURS
    lines = [
        _(
            "Vous avez demandé à vous inscrire à une séance Quartiers Cafés. Pour confirmer votre adresse "
            "et votre inscription, ouvrez ce lien puis appuyez sur « Confirmer mon inscription » :"
        ),
        registration_links.registration_url(registration),
        "",
        _(
            "Sans confirmation dans les %(hours)s heures, l'inscription est annulée et la place "
            "proposée à quelqu'un d'autre. Si vous n'avez rien demandé, ignorez ce courriel."
        )
        % {"hours": hours},
        "",
        *_facts(registration.session, with_meeting_url=False),
    ]
    return _message(registration, _("Confirmez votre inscription"), lines)


def confirmation(registration):
    session = registration.session
    if registration.status == Status.LISTE_ATTENTE:
        from .registration import waiting_position  # the service imports this module's tasks

        lines = [
            _(
                "La séance est complète : vous êtes sur la liste d'attente, en position %(position)s. "
                "Si une place se libère, vous êtes inscrit ou inscrite et prévenu par courriel."
            )
            % {"position": waiting_position(registration)},
            "",
            *_facts(session, with_meeting_url=False),
            "",
            *_manage_lines(registration),
        ]
        return _message(registration, _("Liste d'attente"), lines)
    lines = [
        _("Votre inscription est confirmée. Le fichier joint ajoute la séance à votre agenda."),
        "",
        *_facts(session, with_meeting_url=True),
        "",
        *_manage_lines(registration),
    ]
    return _message(registration, _("Inscription confirmée"), lines, attach=True)


def promotion(registration):
    lines = [
        _("Une place s'est libérée : vous êtes inscrit ou inscrite. Le fichier joint ajoute la séance à votre agenda."),
        "",
        *_facts(registration.session, with_meeting_url=True),
        "",
        _("Si vous ne pouvez plus venir, annulez pour laisser la place à la personne suivante."),
        *_manage_lines(registration),
    ]
    return _message(registration, _("Une place pour vous"), lines, attach=True)


def reminder(registration):
    lines = [
        _("Rappel : la séance a lieu demain."),
        "",
        *_facts(registration.session, with_meeting_url=True),
        "",
        _("Si vous ne pouvez plus venir, annulez pour laisser la place à quelqu'un d'autre."),
        *_manage_lines(registration),
    ]
    return _message(registration, _("Rappel : c'est demain"), lines, attach=True)


def change(registration):
    confirmed = registration.status == Status.CONFIRMEE
    lines = [
        _("La date ou le lieu de la séance a changé. Voici ce qui vaut désormais :"),
        "",
        *_facts(registration.session, with_meeting_url=confirmed),
        "",
        _("Le fichier joint met à jour la séance dans votre agenda.")
        if confirmed
        else _("Vous restez sur la liste d'attente."),
        *_manage_lines(registration),
    ]
    return _message(registration, _("La séance change"), lines, attach=confirmed)


def cancellation(registration):
    lines = [
        _("Votre inscription est annulée. Le fichier joint retire la séance de votre agenda."),
        "",
        *_facts(registration.session, with_meeting_url=False),
    ]
    return _message(registration, _("Inscription annulée"), lines, attach=True, cancelled=True)


def session_cancelled(registration):
    held_seat = registration.confirmed_at is not None
    lines = [
        _(
            "La séance est annulée par l'équipe Quartiers Cafés. Votre inscription est annulée : "
            "vous n'avez rien à faire."
        ),
        _("Le fichier joint retire la séance de votre agenda.")
        if held_seat
        else _("Vous étiez sur la liste d'attente de cette séance."),
        "",
        *_facts(registration.session, with_meeting_url=False),
        "",
        _("Les autres séances sont dans l'agenda du réseau."),
    ]
    return _message(registration, _("Séance annulée"), lines, attach=held_seat, cancelled=True)


# Which states each email still makes sense in (a task run late sends nothing otherwise).
BUILDERS = {
    Kind.VERIFICATION: (verification, {Status.EN_ATTENTE_CONFIRMATION}),
    Kind.CONFIRMATION: (confirmation, {Status.CONFIRMEE, Status.LISTE_ATTENTE}),
    Kind.PROMOTION: (promotion, {Status.CONFIRMEE}),
    Kind.RAPPEL: (reminder, {Status.CONFIRMEE}),
    Kind.CHANGEMENT: (change, {Status.CONFIRMEE, Status.LISTE_ATTENTE}),
    Kind.ANNULATION: (cancellation, {Status.ANNULEE}),
    Kind.SEANCE_ANNULEE: (session_cancelled, {Status.SEANCE_ANNULEE}),
}


def build(row):
    """The message for a ``RegistrationEmail`` row, or None when it no longer applies (the
    registration moved on, or has no address)."""
    registration = row.registration
    builder, states = BUILDERS[row.kind]
    if registration.status not in states or not recipient(registration):
        return None
    return builder(registration)
