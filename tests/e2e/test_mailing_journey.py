"""The « prévenez-moi » list in a real browser at 375 px: sign up from the calls' index box,
confirm by the emailed link, leave in one click (the mail client's RFC 8058 POST, no CSRF token);
between two calls, the home page's box at 375 and 1280 px.

The module's demo has no open call: the demo's open call is moved to the next edition (it
opens in a month), as between two calls, so the home page shows its sign-up box.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from mailing import emails
from mailing.models import Subscriber

from .harness import check_axe, loaded_html, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.journey]


def extra_demo_content(home):
    """Between two calls: the open call opens in a month (committed, seen by the live server)."""
    import datetime

    from django.utils import timezone

    from calls.models import CallPage

    now = timezone.now()
    CallPage.objects.filter(opens_at__lte=now, closes_at__gt=now).update(
        opens_at=now + datetime.timedelta(days=30), closes_at=now + datetime.timedelta(days=120)
    )


def test_subscribe_confirm_and_unsubscribe_in_one_click(demo_site, page_at):
    page = page_at(375)
    page.goto(demo_site.at("/appels/"))
    box = page.get_by_role("region", name="Prévenez-moi du prochain appel")
    box.get_by_label("Votre adresse électronique").fill("pas-une-adresse")
    box.get_by_label(re.compile("J'accepte que Quartiers Cafés")).check()
    box.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text("Cette adresse électronique n'est pas valide")).to_be_visible()
    screenshot(page, "prevenez-moi-erreur")
    check_axe(page, "prevenez-moi-erreur")

    page.get_by_label("Votre adresse électronique").fill("lea@example.org")
    page.get_by_label("Votre région (facultatif)").select_option(label="Occitanie")
    page.get_by_label(re.compile("J'accepte que Quartiers Cafés")).check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", name="Vérifiez votre boîte de réception")).to_be_visible()
    # The email leaves after the commit, which this journey's shared test transaction holds
    # back (tests/mailing/test_signup.py reads the links from the email itself): the same links.
    subscriber = Subscriber.objects.get(email="lea@example.org")
    confirm = emails.confirm_url(subscriber).removeprefix(settings.WAGTAILADMIN_BASE_URL.rstrip("/"))
    unsubscribe = emails.unsubscribe_url(subscriber).removeprefix(settings.WAGTAILADMIN_BASE_URL.rstrip("/"))

    page.goto(demo_site.at(confirm))
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", name="Inscription confirmée")).to_be_visible()
    screenshot(page, "prevenez-moi-confirmee")
    assert Subscriber.objects.get(email="lea@example.org").region == "occitanie"

    response = page.request.post(demo_site.at(unsubscribe), form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200
    assert not Subscriber.objects.filter(email="lea@example.org").exists()


@pytest.mark.parametrize("width", [375, 1280])
def test_between_two_calls_the_home_page_offers_the_list(demo_site, page_at, validator, width):
    page = page_at(width)
    page.goto(demo_site.at("/"))
    box = page.get_by_role("region", name="Prévenez-moi du prochain appel")
    expect(box).to_be_visible()
    screenshot(page, f"accueil-prevenez-moi-{width}")
    check_axe(page, f"accueil-prevenez-moi-{width}")
    validator({f"accueil-{width}": loaded_html(page)})
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    box.get_by_label("Votre adresse électronique").fill(f"voisin-{width}@example.org")
    box.get_by_label(re.compile("J'accepte que Quartiers Cafés")).check()
    box.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("heading", name="Vérifiez votre boîte de réception")).to_be_visible()
    subscriber = Subscriber.objects.get(email=f"voisin-{width}@example.org")
    assert subscriber.confirmed_at is None  # double opt-in: nothing confirmed before the link
