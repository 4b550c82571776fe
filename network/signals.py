"""What the network's changes do elsewhere: members' sessions out of the search index, and the
page cache started anew when what a public page shows changes (a kind's name, seats taken).

A registration shows on public pages only through the seats left (the session page and the
agenda's cards, ``RegistrationQuerySet.holding_seats``: the status, ``waitlisted_at`` and
``created_at``). A save that writes none of those (attendance marked, a link's new key) or the
deletion of a row that held no seat (the retention purge of cancelled and expired rows) leaves
the page cache as it is; any other save or deletion starts a new generation.

The registration service (``registration.py``) also says, through ``seats_changed``, when a
change alters a session's seats left — a seat taken, freed by a cancellation or an expiry, filled
by a promotion — including an expiry, a queryset ``update`` that sends no ``post_save``. Once the
transaction commits, and once for all it changed: one new page-cache generation (a page another
request rendered during the transaction read the old seats), then one CDN purge of each changed
session's page and of its agenda (``home.cdn.purge_pages``; the agenda's filtered listings are
its URL with a query string, purged with it by prefix). A CDN that fails is logged: the
registration is already committed."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.search import index

from home.cdn import purge_pages
from home.page_cache import new_generation

from .models import Registration, RegistrationStatus, SessionKind, SessionPage

# The registration's fields the seats left are computed from (``holding_seats``).
SEAT_FIELDS = {"session", "status", "waitlisted_at", "created_at"}
HOLDING_STATUSES = {RegistrationStatus.CONFIRMEE, RegistrationStatus.EN_ATTENTE_CONFIRMATION}


def drop_members_session_from_index(sender, instance, raw=False, **kwargs):
    """A session that is not (or no longer) public leaves the search index at once; the
    indexing task then finds it outside ``SessionPage.get_indexed_objects`` and adds nothing.
    The stored row decides (a draft's values are not the live page's)."""
    if raw:
        return
    if not SessionPage.objects.public_sessions().filter(pk=instance.pk).exists():
        index.remove_object(instance)


# The sessions whose seats changed in the connection's transaction, kept on the connection (one
# per thread) until its commit.
PENDING = "network_seats_changed"


def seats_changed(session_pk):
    """Session ``session_pk``'s seats left changed in the current transaction: after its commit,
    a new page-cache generation and a CDN purge of its page and its agenda, once for the whole
    transaction whatever the number of rows or sessions it changed."""
    connection = transaction.get_connection()
    pending = connection.__dict__.setdefault(PENDING, set())
    pending.add(session_pk)
    # One callback per call (a savepoint rolled back drops its own): the first to run after the
    # commit does the work for every session; the others find nothing left. A transaction rolled
    # back leaves its sessions for the next commit's purge, which costs only a needless purge.
    transaction.on_commit(partial(_publish_seats, connection), robust=True)


def _publish_seats(connection):
    pending = connection.__dict__.get(PENDING)
    if not pending:
        return
    session_pks = sorted(pending)
    pending.clear()
    new_generation()  # before the CDN fetches the pages again from us
    purge_pages(_pages_showing_seats(session_pks))


def _pages_showing_seats(session_pks):
    """The live sessions and their agendas; read only when a CDN is set (``purge_pages`` iterates
    this once it knows), so a site without one runs no query here."""
    sessions = list(SessionPage.objects.live().filter(pk__in=session_pks))
    yield from sessions
    agenda_paths = {session.path[: -Page.steplen] for session in sessions}
    yield from Page.objects.live().filter(path__in=agenda_paths).specific()


def registration_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not SEAT_FIELDS & set(update_fields):
        return
    new_generation()


def registration_deleted(sender, instance, **kwargs):
    if instance.status in HOLDING_STATUSES:
        new_generation()


def connect():
    post_save.connect(drop_members_session_from_index, sender=SessionPage, dispatch_uid="network-session-index")
    post_save.connect(new_generation, sender=SessionKind, dispatch_uid="network-page-cache-save-SessionKind")
    post_delete.connect(new_generation, sender=SessionKind, dispatch_uid="network-page-cache-delete-SessionKind")
    post_save.connect(registration_saved, sender=Registration, dispatch_uid="network-page-cache-save-Registration")
    post_delete.connect(
        registration_deleted, sender=Registration, dispatch_uid="network-page-cache-delete-Registration"
    )
