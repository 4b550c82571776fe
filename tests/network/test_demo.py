"""The demo's agenda: in the menu, two sessions to come (a co-construction session open to all
in a commune with quartiers prioritaires, a coaching session online for laureates) and a past
one, all marked as examples; the programme's pages point to the agenda. Idempotent."""

import io

import pytest
from django.utils import timezone

from home.demo_content import build_site
from network import demo
from network.models import AgendaIndexPage, Audience, Mode, SessionPage

pytestmark = pytest.mark.django_db


def test_the_demo_agenda(client):
    home = build_site(io.StringIO())
    demo.load(home, io.StringIO())
    demo.load(home, io.StringIO())  # idempotent

    agenda = AgendaIndexPage.objects.get()
    assert agenda.url == "/agenda/" and agenda.show_in_menus
    sessions = {session.slug: session for session in SessionPage.objects.child_of(agenda)}
    assert len(sessions) == 3
    now = timezone.now()
    public = sessions["exemple-co-construction-habitants"]
    assert public.kind.slug == "co-construction" and public.audience == Audience.TOUS and public.starts_at > now
    assert public.town == "Aubervilliers" and public.qpv_method == "commune" and public.qpv_code
    online = sessions["exemple-accompagnement-en-ligne"]
    assert online.mode == Mode.EN_LIGNE and online.audience == Audience.LAUREATS and online.starts_at > now
    assert "example.org" in online.meeting_url
    assert sessions["exemple-rencontre-reseau"].ends_at < now
    for session in sessions.values():
        assert session.title.startswith("Exemple — ")
        assert session.starts_at.weekday() in (1, 2, 3, 4)

    html = client.get("/agenda/").content.decode()
    assert 'href="/agenda/"' in html  # the menu
    assert public.title in html and online.title not in html
    assert "exemple" in client.get(public.url).content.decode()
    assert client.get("/agenda/passees/").context["sessions"][0].slug == "exemple-rencontre-reseau"

    for url in ("/le-programme/accompagnement/", "/le-programme/reseau/"):
        page = client.get(url).content.decode()
        assert page.count('href="/agenda/"') >= 2, url  # the menu and the page's own link
        assert "sont des exemples" not in page and "est un exemple" not in page
