"""The list's sign-up box on the home page (a ``home.sections`` section), shown while no call
is open: between editions, the visitor who finds no call can ask to hear about the next one.

The calls' windows are kept under the page cache's generation (a page change starts it
anew) and compared with the time of the request, so a call that opens by its date alone
takes the box away without any page being published.
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from calls.models import CallPage
from home.chrome import CHROME, public_q

from .forms import SignupForm


def call_windows(home_page):
    """``[[opens_at, closes_at], …]`` (ISO) of the live, public calls under the home page."""

    def compute():
        calls = CallPage.objects.live().filter(public_q()).descendant_of(home_page)
        return [[opens.isoformat(), closes.isoformat()] for opens, closes in calls.values_list("opens_at", "closes_at")]

    return CHROME.cached("call-windows", [home_page.pk], compute)


def a_call_is_open(home_page, now=None):
    now = now or timezone.now()
    return any(parse_datetime(opens) <= now < parse_datetime(closes) for opens, closes in call_windows(home_page))


def signup_section(home_page, request):
    if a_call_is_open(home_page):
        return None
    return {"form": SignupForm()}
