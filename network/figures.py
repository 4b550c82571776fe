"""The network's key figure (``home/figures.py``): « séances tenues », the live sessions
that have started. Per edition by the year the session starts in, in Paris time.

A session becomes held as time passes, with no save to announce it: the figures' cache
keeps a value at most its timeout (five minutes), so the figure catches up by then.
"""

import datetime
import zoneinfo

from django.utils.translation import gettext_lazy as _

from home import figures

from .dashboard import held_sessions
from .models import SessionPage

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def sessions_held(edition=None):
    found = held_sessions()
    if edition:
        start = datetime.datetime(edition, 1, 1, tzinfo=PARIS)
        end = datetime.datetime(edition + 1, 1, 1, tzinfo=PARIS)
        found = found.filter(starts_at__gte=start, starts_at__lt=end)
    return found.count()


figures.register("seances_tenues", _("séances tenues"), sessions_held, models=(SessionPage,))
