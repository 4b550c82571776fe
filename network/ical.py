"""Sessions as iCalendar (RFC 5545) with the icalendar library: the file attached to the
registration emails, a person's private feed and the public sessions' feed.

One event per session: ``UID`` is the session's ``ical_uid`` (a UUID made with the page,
never changed, a copied page gets its own), ``SEQUENCE`` its ``ical_sequence`` (bumped when
the date or the place changes on publication, ``registration.note_change``), so a calendar
that already holds the event updates it instead of adding another. Times are written in UTC
(``DTSTART:…Z``): no time zone table to ship, and every client shows them in its own zone.
The meeting link of an online session is written only in what goes to a confirmed person
(``with_meeting_url``); the public feed never has it.
https://icalendar.readthedocs.io/
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from home.links import absolute_url

PRODID = "-//Quartiers Cafés//Agenda du réseau//FR"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def session_url(session):
    """The session's page, absolute; none once unpublished (its page is then a 404)."""
    if not session.live:
        return ""
    url = session.url or ""
    return absolute_url(url) if url.startswith("/") else url


def place_text(session, *, with_meeting_url=False):
    """Where the session is, in words: the address, or « En ligne » (with its link for a
    confirmed person)."""
    if session.mode == "en_ligne":
        if with_meeting_url and session.meeting_url:
            return _("En ligne : %(url)s") % {"url": session.meeting_url}
        return _("En ligne (le lien est envoyé aux personnes inscrites)")
    town = " ".join(part for part in (session.postal_code, session.town) if part)
    return ", ".join(part for part in (session.place_name, session.street, town) if part)


def event(session, *, with_meeting_url=False, cancelled=False, stamp=None):
    """The session's ``VEVENT``."""
    item = Event()
    item.add("uid", str(session.ical_uid))
    item.add("sequence", session.ical_sequence)
    item.add("dtstamp", stamp or timezone.now().astimezone(datetime.UTC))
    item.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    item.add("dtend", session.ends_at.astimezone(datetime.UTC))
    item.add("summary", session.title)
    item.add("location", place_text(session, with_meeting_url=with_meeting_url))
    url = session_url(session)
    description = [session.summary or "", url]
    if with_meeting_url and session.mode == "en_ligne" and session.meeting_url:
        description.append(_("Lien de la réunion : %(url)s") % {"url": session.meeting_url})
    item.add("description", "\n\n".join(part for part in description if part))
    if url:
        item.add("url", url)
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return item


def calendar(events, *, name=None):
    """A ``VCALENDAR`` (method PUBLISH) holding ``events``, as bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for item in events:
        cal.add_component(item)
    return cal.to_ical()


def session_file(session, *, with_meeting_url=False, cancelled=False):
    """One session's ``.ics`` (the emails' attachment)."""
    return calendar([event(session, with_meeting_url=with_meeting_url, cancelled=cancelled)])


def filename(session):
    return f"seance-{session.slug}.ics"
