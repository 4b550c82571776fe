"""The public sessions to come as RSS and Atom (``home/feeds.py``, Django's syndication
framework), served at ``/flux/agenda/rss/`` and ``/flux/agenda/atom/`` by ``config/urls.py``.

Only what the public agenda shows: live sessions open to everyone (``audience = tous``) outside
private sections, not ended yet, soonest first. Nothing members-only, no draft, no meeting link
(an online session's place reads « En ligne (le lien est envoyé aux personnes inscrites) »),
nothing about anyone registered. Each item's description says the date in words in Europe/Paris
(``dates.when_text``: « mardi 31 mars 2026, de 18 h à 20 h 30 ») and the place, then the summary.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from home.chrome import public_q
from home.feeds import FEED_SIZE, AtomFeed, PageFeed

from . import ical
from .models import AgendaIndexPage, SessionPage


class SessionFeed(PageFeed):
    index_model = AgendaIndexPage
    item_model = SessionPage

    def description(self, source):
        return _("Les séances du réseau Quartiers Cafés ouvertes à tous, à venir.")

    def items(self, source):
        sessions = (
            SessionPage.objects.child_of(source.index)
            .live()
            .filter(public_q())
            .public_sessions()
            .filter(ends_at__gt=timezone.now())
            .select_related("kind")
            .order_by("starts_at", "pk")
        )
        sessions = list(sessions[:FEED_SIZE])
        for session in sessions:
            session.feed_link = session.get_url(source.request)
        return sessions

    def item_description(self, item):
        return "\n".join(
            [
                _("Quand : %(when)s (heure de Paris)") % {"when": item.when_text()},
                _("Où : %(place)s") % {"place": ical.place_text(item)},
                item.summary,
            ]
        )

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [item.kind.name]


class SessionAtomFeed(AtomFeed, SessionFeed):
    pass
