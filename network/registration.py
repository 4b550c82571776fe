"""Registering to the network's sessions: who may, the seats, the waiting list, the links.

Every change to a session's registrations (register, confirm, cancel, expire, promote) runs in
one transaction that first locks the session's row (``select_for_update`` on ``SessionPage``),
so two requests for the last seat are served one after the other: the capacity is never
exceeded, and the waiting list's order is the order the requests got the lock
(``waitlisted_at``, then the id).

- A member laureate registers in one click (``register_laureate``): confirmed when a seat is
  left, else on the waiting list.
- A resident (a session open to everyone) or a partner (the session's invitation link) gives a
  name and an address (``register_person``): the registration waits for the address to be
  confirmed by the emailed link (double opt-in). Meanwhile it holds a seat, if one was left, for
  ``NETWORK_CONFIRMATION_HOURS``; after that it is « expirée » and holds nothing
  (``expire_unconfirmed``, a periodic job, and every change under the lock).
- A cancellation, an expiry or a capacity raised promotes the first of the waiting list
  (``fill_seats``), who is told by email.
- ``check_capacity``: the team cannot lower a session's capacity below its confirmed count.
- ``note_change``: a change of date, times or place, on publication, bumps ``ical_sequence``
  and tells every registered person once.
- ``cancel_session``: the team unpublishes a session before it begins: every active
  registration becomes « séance annulée » (the team's cancellation, not the person's), the
  sequence is bumped, and each confirmed or waiting person is told once.

A change that alters a session's seats left (a seat taken, freed, filled) calls
``signals.seats_changed``: after the commit, once per transaction, a new page-cache generation
and a CDN purge of the session's page and its agenda (the expiry too, whose queryset ``update``
sends no ``post_save``); a CDN that fails never undoes or refuses the registration.

Emails are rows of ``RegistrationEmail`` (registration, kind, sequence: unique), written in the
same transaction and sent after the commit (``registration_tasks``): each is sent once.
Refusals raise ``Refused`` with a French message, before anything is written.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import dates, registration_links, signals
from .models import ACTIVE_STATUSES, EmailKind, Registration, RegistrationEmail, RegistrationStatus, Role, SessionPage

logger = logging.getLogger(__name__)

Status = RegistrationStatus
Kind = EmailKind

ACTIVE = ACTIVE_STATUSES


class Refused(Exception):
    """A registration or a change refused; ``message`` says why, in French."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# --- Who may register, when ------------------------------------------------------------------


def roles_allowed(session):
    """The roles that may register to ``session`` (its audience)."""
    audience = session.audience
    if audience == "tous":
        return {Role.LAUREAT, Role.PARTENAIRE, Role.HABITANT}
    if audience == "laureats_partenaires":
        return {Role.LAUREAT, Role.PARTENAIRE}
    return {Role.LAUREAT}


def is_open(session, now=None):
    return session.registration_state(now or timezone.now()) == "ouvertes"


def check_open(session, now=None):
    """Refused when registrations are not open (not yet, or no longer: ``SessionPage
    .registration_state``, open from the first publication to the start by default)."""
    now = now or timezone.now()
    if not session.live:  # unpublished meanwhile (read under the lock): cancelled by the team
        raise Refused(_("Cette séance n'est plus proposée : l'équipe l'a retirée de l'agenda."))
    state = session.registration_state(now)
    if state == "a_venir":
        opens = session.registration_opens()
        raise Refused(_("Les inscriptions à cette séance ouvrent le %(date)s.") % {"date": dates.moment_text(opens)})
    if state != "ouvertes":
        raise Refused(
            _("Les inscriptions à cette séance sont closes depuis le %(date)s.")
            % {"date": dates.moment_text(session.registration_closes())}
        )


def registrable_sessions():
    """Live sessions (the agenda's pages), the base of every lookup by id."""
    return SessionPage.objects.live()


def session_for(pk, role):
    """The live session ``pk`` if ``role`` may register to it, else None (a forged id, a
    members-only session for someone else: the same answer, the page stays invisible)."""
    session = registrable_sessions().filter(pk=pk).first()
    if session is None or role not in roles_allowed(session):
        return None
    return session


# --- Seats -----------------------------------------------------------------------------------


def _fresh_since(now):
    return now - datetime.timedelta(hours=settings.NETWORK_CONFIRMATION_HOURS)


def seats_taken(session, now=None, exclude=None):
    """Seats held (``RegistrationQuerySet.holding_seats``: confirmed, or awaiting the address's
    confirmation for less than ``NETWORK_CONFIRMATION_HOURS`` after asking while a seat was left)."""
    queryset = Registration.objects.filter(session_id=session.pk).holding_seats(now or timezone.now())
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset.count()


def holds_seat(registration, now):
    """The row holds a seat (``holding_seats``' rule, on a row already read)."""
    if registration.status == Status.CONFIRMEE:
        return True
    return (
        registration.status == Status.EN_ATTENTE_CONFIRMATION
        and registration.waitlisted_at is None
        and registration.created_at >= _fresh_since(now)
    )


def seats_left(session, now=None):
    return max(0, session.capacity - seats_taken(session, now))


def waiting_list(session):
    return Registration.objects.filter(session_id=session.pk, status=Status.LISTE_ATTENTE).order_by(
        "waitlisted_at", "pk"
    )


def waiting_position(registration):
    """1 for the first of the waiting list; None when not on it."""
    if registration.status != Status.LISTE_ATTENTE:
        return None
    if registration.waitlisted_at is None:  # a row written by hand, outside this service
        return waiting_list(registration.session).filter(pk__lt=registration.pk).count() + 1
    ahead = Q(waitlisted_at__lt=registration.waitlisted_at) | Q(
        waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk
    )
    return waiting_list(registration.session).filter(ahead).count() + 1


def waiting_positions(registrations):
    """{registration id: its place on its session's waiting list} for the waiting ones among
    ``registrations``, in one query whatever their number (the waiting lists of their sessions,
    ids only, in the order of ``waiting_list``)."""
    waiting = {r.pk for r in registrations if r.status == Status.LISTE_ATTENTE}
    if not waiting:
        return {}
    sessions = {r.session_id for r in registrations if r.pk in waiting}
    rows = (
        Registration.objects.filter(session_id__in=sessions, status=Status.LISTE_ATTENTE)
        .order_by("session_id", "waitlisted_at", "pk")
        .values_list("pk", "session_id")
    )
    positions, counts = {}, {}
    for pk, session_id in rows:
        counts[session_id] = counts.get(session_id, 0) + 1
        if pk in waiting:
            positions[pk] = counts[session_id]
    return positions


def _lock(session_pk):
    """The session's row, locked until the transaction ends."""
    return SessionPage.objects.select_for_update(of=("self",)).get(pk=session_pk)


def queue_email(registration, kind, sequence=None):
    """Write the email's row (once per registration, kind and sequence) and send it after the
    commit; nothing when that email was already written."""
    from .registration_tasks import enqueue_email  # the tasks import this module (emails' builders)

    if sequence is None:
        sequence = registration.session.ical_sequence
    row, created = RegistrationEmail.objects.get_or_create(registration=registration, kind=kind, sequence=sequence)
    if created:
        transaction.on_commit(lambda pk=row.pk: enqueue_email(pk), robust=True)
    return row if created else None


def _expire_stale(session, now):
    """Unconfirmed registrations past their time: « expirée »; True when one held a seat.

    A queryset ``update`` sends no ``post_save``: when a seat is freed, ``signals.seats_changed``
    starts the page cache anew and purges the CDN after the commit (once for the session)."""
    stale = Registration.objects.filter(
        session_id=session.pk, status=Status.EN_ATTENTE_CONFIRMATION, created_at__lt=_fresh_since(now)
    )
    held = stale.filter(waitlisted_at__isnull=True).exists()
    stale.update(status=Status.EXPIREE)
    if held:
        signals.seats_changed(session.pk)
    return held


def _promote(session, now):
    """Under the session's lock: the first of the waiting list into each free seat, each told
    by email; returns the promoted registrations."""
    promoted = []
    free = session.capacity - seats_taken(session, now)
    if free <= 0:
        return promoted
    for registration in waiting_list(session)[:free]:
        registration.status = Status.CONFIRMEE
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        registration.session = session
        queue_email(registration, Kind.PROMOTION)
        promoted.append(registration)
        logger.info("Network: registration %s promoted from the waiting list", registration.pk)
    if promoted:
        signals.seats_changed(session.pk)
    return promoted


def fill_seats(session_pk, now=None):
    """Expire what is stale and promote into every free seat (after a cancellation, an expiry,
    a capacity raised); returns the promoted registrations."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock(session_pk)
        _expire_stale(session, now)
        return _promote(session, now)


def expire_unconfirmed(now=None):
    """Every session with stale unconfirmed registrations: expire them, fill the seats; returns
    how many registrations expired."""
    now = now or timezone.now()
    stale = Registration.objects.filter(status=Status.EN_ATTENTE_CONFIRMATION, created_at__lt=_fresh_since(now))
    count = 0
    for session_pk in sorted(set(stale.values_list("session_id", flat=True))):
        with transaction.atomic():
            session = _lock(session_pk)
            count += stale.filter(session_id=session_pk).count()
            _expire_stale(session, now)
            _promote(session, now)
    return count


# --- Registering -----------------------------------------------------------------------------


def register_laureate(session, laureate, now=None):
    """A member laureate's one click: confirmed if a seat is left, else on the waiting list."""
    if not laureate.is_member:
        raise Refused(_("Cette inscription est réservée aux lauréats membres du réseau."))
    if Role.LAUREAT not in roles_allowed(session):
        raise Refused(_("Cette séance n'est pas ouverte aux lauréats."))
    try:
        with transaction.atomic():
            session = _lock(session.pk)
            now = now or timezone.now()  # under the lock: the order of the waiting list
            check_open(session, now)
            if Registration.objects.filter(session_id=session.pk, laureate=laureate, status__in=ACTIVE).exists():
                raise Refused(_("Vous êtes déjà inscrit ou inscrite à cette séance."))
            _expire_stale(session, now)
            _promote(session, now)
            seat = seats_taken(session, now) < session.capacity
            registration = Registration.objects.create(
                session=session,
                laureate=laureate,
                role=Role.LAUREAT,
                status=Status.CONFIRMEE if seat else Status.LISTE_ATTENTE,
                created_at=now,
                confirmed_at=now if seat else None,
                waitlisted_at=None if seat else now,
            )
            queue_email(registration, Kind.CONFIRMATION)
            if seat:
                signals.seats_changed(session.pk)
    except IntegrityError as exc:  # the same click twice at once: the other one registered
        raise Refused(_("Vous êtes déjà inscrit ou inscrite à cette séance.")) from exc
    return registration


# What ``register_person`` did, for the page (which says the same in every case: the address's
# owner reads the outcome in their mailbox, a visitor learns nothing about an address).
NEW, ALREADY = "new", "already"


def register_person(session, *, name, email, role, now=None):
    """A resident or a partner: the registration waits for the address's confirmation (the
    link emailed now); it holds a seat meanwhile when one is left. An address already
    registered to the session changes nothing and gets no new email. Returns (outcome, row)."""
    email = email.strip().lower()
    if role not in roles_allowed(session) or role == Role.LAUREAT:
        raise Refused(_("Cette séance n'est pas ouverte à cette inscription."))
    try:
        with transaction.atomic():
            session = _lock(session.pk)
            now = now or timezone.now()  # under the lock: the order of the waiting list
            check_open(session, now)
            _expire_stale(session, now)
            existing = Registration.objects.filter(session_id=session.pk, email=email, status__in=ACTIVE).first()
            if existing is not None:
                return ALREADY, existing
            _promote(session, now)
            seat = seats_taken(session, now) < session.capacity
            registration = Registration.objects.create(
                session=session,
                name=name.strip(),
                email=email,
                role=role,
                status=Status.EN_ATTENTE_CONFIRMATION,
                created_at=now,
                waitlisted_at=None if seat else now,
                token_hash=registration_links.new_key(),
            )
            queue_email(registration, Kind.VERIFICATION)
            if seat:
                signals.seats_changed(session.pk)
    except IntegrityError:  # the same address twice at once: the other request registered it
        return ALREADY, Registration.objects.filter(session_id=session.pk, email=email, status__in=ACTIVE).first()
    return NEW, registration


# --- A person's link: confirm, cancel --------------------------------------------------------


def registration_from_token(token):
    """The registration a link names, or None (forged, altered, revoked, deleted)."""
    parts = registration_links.split(token)
    if parts is None:
        return None
    pk, signature = parts
    registration = Registration.objects.select_related("session").filter(pk=pk, laureate__isnull=True).first()
    if registration is None or not registration_links.matches(
        registration_links.REGISTRATION, pk, registration.token_hash, signature
    ):
        return None
    return registration


def is_expired(registration, now=None):
    now = now or timezone.now()
    return registration.status == Status.EXPIREE or (
        registration.status == Status.EN_ATTENTE_CONFIRMATION and registration.created_at < _fresh_since(now)
    )


def confirm(registration, now=None):
    """The address is confirmed (the emailed link's button): confirmed when a seat is held or
    left, else on the waiting list. Refused when already confirmed, expired or cancelled."""
    with transaction.atomic():
        session = _lock(registration.session_id)
        now = now or timezone.now()  # under the lock: the order of the waiting list
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.session = session
        if is_expired(registration, now):
            expired = True
            _expire_stale(session, now)
            _promote(session, now)
        else:
            expired = False
            refuse_unless_pending(registration)
            if (
                registration.waitlisted_at is None
                and seats_taken(session, now, exclude=registration) < session.capacity
            ):
                registration.status = Status.CONFIRMEE
                registration.confirmed_at = now
                registration.save(update_fields=["status", "confirmed_at"])
                queue_email(registration, Kind.CONFIRMATION)
            else:
                # Asked while no seat was left (or the team lowered the capacity meanwhile): in
                # the waiting list's order of asking, promoted at once when a seat is free.
                if holds_seat(registration, now):  # the seat it held is freed
                    signals.seats_changed(session.pk)
                registration.status = Status.LISTE_ATTENTE
                registration.waitlisted_at = registration.waitlisted_at or now
                registration.save(update_fields=["status", "waitlisted_at"])
                if registration.pk not in {row.pk for row in _promote(session, now)}:
                    queue_email(registration, Kind.CONFIRMATION)
    if expired:
        raise Refused(expired_message())
    return registration


def expired_message():
    hours = settings.NETWORK_CONFIRMATION_HOURS
    return ngettext(
        "Ce lien a expiré : l'adresse n'a pas été confirmée dans l'heure qui suivait l'inscription. "
        "Inscrivez-vous de nouveau depuis la page de la séance.",
        "Ce lien a expiré : l'adresse n'a pas été confirmée dans les %(hours)s heures qui suivaient "
        "l'inscription. Inscrivez-vous de nouveau depuis la page de la séance.",
        hours,
    ) % {"hours": hours}


def refuse_unless_pending(registration):
    if registration.status in (Status.CONFIRMEE, Status.LISTE_ATTENTE):
        since = registration.confirmed_at or registration.waitlisted_at or registration.created_at
        raise Refused(
            _("Ce lien a déjà servi : votre inscription est confirmée depuis le %(date)s.")
            % {"date": dates.moment_text(since)}
        )
    if registration.status == Status.ANNULEE:
        raise Refused(_("Cette inscription est annulée."))
    if registration.status == Status.SEANCE_ANNULEE:
        raise Refused(_("Cette séance est annulée : l'équipe vous a prévenu par courriel."))
    if registration.status == Status.EXPIREE:
        raise Refused(expired_message())


def cancel(registration, now=None):
    """Cancel a registration (its person's link, or the laureate in their space); the first of
    the waiting list takes the seat. Refused once cancelled, or once the session has begun
    (``SessionPage.has_begun``: « Mes séances » then shows « En cours » and no « Annuler »)."""
    with transaction.atomic():
        session = _lock(registration.session_id)
        now = now or timezone.now()  # under the lock: the order of the waiting list
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        registration.session = session
        if registration.status == Status.SEANCE_ANNULEE:
            raise Refused(_("Cette séance est annulée : l'équipe vous a prévenu par courriel."))
        if registration.status not in ACTIVE:
            raise Refused(_("Cette inscription est déjà annulée."))
        if session.has_begun(now):
            raise Refused(_("La séance a commencé : l'inscription ne peut plus être annulée."))
        was_confirmed = registration.status == Status.CONFIRMEE
        if holds_seat(registration, now):
            signals.seats_changed(session.pk)
        registration.status = Status.ANNULEE
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        if was_confirmed:
            queue_email(registration, Kind.ANNULATION)
        _expire_stale(session, now)
        promoted = _promote(session, now)
    logger.info("Network: registration %s cancelled, %s promoted", registration.pk, len(promoted))
    return promoted


# --- The team's changes to a session ---------------------------------------------------------


def confirmed_count(session):
    return Registration.objects.filter(session_id=session.pk, status=Status.CONFIRMEE).count()


def check_capacity(session, capacity):
    """Refuse (``ValidationError`` on ``capacity``) a capacity below the confirmed count."""
    if session.pk is None or capacity is None:
        return
    count = confirmed_count(session)
    if capacity < count:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "%(count)s inscription est déjà confirmée : la capacité ne peut pas descendre sous %(count)s. "
                    "Annulez d'abord des inscriptions si la salle est plus petite.",
                    "%(count)s inscriptions sont déjà confirmées : la capacité ne peut pas descendre sous "
                    "%(count)s. Annulez d'abord des inscriptions si la salle est plus petite.",
                    count,
                )
                % {"count": count}
            }
        )


def tell_change(session_pk, sequence):
    """One « changement » email per confirmed or waiting registration for this sequence."""
    with transaction.atomic():
        session = _lock(session_pk)
        registrations = Registration.objects.filter(
            session_id=session.pk, status__in=(Status.CONFIRMEE, Status.LISTE_ATTENTE)
        )
        written = 0
        for registration in registrations:
            registration.session = session
            written += queue_email(registration, Kind.CHANGEMENT, sequence) is not None
    logger.info("Network: session %s changed (sequence %s), %s people told", session_pk, sequence, written)
    return written


# The people a session's cancellation tells: their address is confirmed (a registration still
# awaiting its confirmation is cancelled without an email: the address was never confirmed).
TOLD_OF_CANCELLATION = (Status.CONFIRMEE, Status.LISTE_ATTENTE)


def cancel_session(session_pk, now=None):
    """The team took the session down before it began (unpublished, or about to be deleted):
    every active registration becomes « séance annulée » (``cancelled_at`` now), the session's
    ``ical_sequence`` is bumped once, and each confirmed or waiting person gets one « séance
    annulée » email (the ``.ics`` with ``STATUS:CANCELLED`` for those who held a seat).

    Sent once: the registrations leave the active statuses under the session's lock, so a
    second unpublication finds nobody, and a republication promotes nobody and tells nobody
    (nobody is active any more). A session that has begun changes nothing (its registrations
    are its attendance). Returns how many people are told."""
    with transaction.atomic():
        session = _lock(session_pk)
        now = now or timezone.now()
        if session.starts_at <= now:
            return 0
        active = list(Registration.objects.filter(session_id=session.pk, status__in=ACTIVE).select_for_update())
        if not active:
            return 0
        session.ical_sequence += 1
        SessionPage.objects.filter(pk=session.pk).update(ical_sequence=session.ical_sequence)
        told = 0
        for registration in active:
            was = registration.status
            registration.status = Status.SEANCE_ANNULEE
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at"])
            registration.session = session
            if was in TOLD_OF_CANCELLATION:
                told += queue_email(registration, Kind.SEANCE_ANNULEE, session.ical_sequence) is not None
    logger.info("Network: session %s cancelled, %s registrations, %s people told", session_pk, len(active), told)
    return told


def people_to_tell(session):
    """True while a session's deletion would lose people to tell: active registrations to a
    session not begun, or « séance annulée » emails still to send (written within
    ``registration_tasks.REQUEUE_WITHIN``, the time the queue keeps trying)."""
    from .registration_tasks import REQUEUE_WITHIN  # the tasks import this module (emails' builders)

    now = timezone.now()
    if session.starts_at > now and Registration.objects.filter(session_id=session.pk, status__in=ACTIVE).exists():
        return True
    return RegistrationEmail.objects.filter(
        registration__session_id=session.pk,
        registration__status=Status.SEANCE_ANNULEE,
        kind=Kind.SEANCE_ANNULEE,
        sent_at__isnull=True,
        created_at__gte=now - REQUEUE_WITHIN,
    ).exists()
