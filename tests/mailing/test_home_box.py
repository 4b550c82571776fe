"""The list's sign-up box on the home page, while no call is open (mailing/sections.py, a
home.sections section: home never imports mailing)."""

import datetime

import pytest
from django.utils import timezone

from home import sections
from mailing.sections import a_call_is_open
from tests.calls.factories import CallIndexPageFactory, CallPageFactory

pytestmark = pytest.mark.django_db

BOX = 'id="mailing-box-title"'


def test_the_home_shows_the_box_between_editions_only(client, home_page):
    calls = CallIndexPageFactory(parent=home_page)
    CallPageFactory(parent=calls, closed=True, slug="appel-clos")
    html = client.get("/").content.decode()
    assert html.count(BOX) == 1 and 'action="/prevenez-moi/"' in html and "/static/calls/calls.css" in html
    CallPageFactory(parent=calls, slug="appel-ouvert")  # open since yesterday; publishing starts a new generation
    assert BOX not in client.get("/").content.decode()


def test_a_call_opening_by_its_date_alone_takes_the_box_away(home_page):
    now = timezone.now()
    calls = CallIndexPageFactory(parent=home_page)
    CallPageFactory(
        parent=calls, opens_at=now + datetime.timedelta(hours=1), closes_at=now + datetime.timedelta(days=30)
    )
    assert not a_call_is_open(home_page, now)
    assert a_call_is_open(home_page, now + datetime.timedelta(hours=2))  # the kept windows, no new page


def test_the_box_is_a_registered_section_of_the_home():
    assert "mailing/includes/home_signup.html" in [template for _order, template, *_rest in sections.SECTIONS]
