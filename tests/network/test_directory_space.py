"""The network's part of the applicant's space: the links its home page shows to a member
laureate (registered by network with ``applicants.space_links``), none to an applicant or a
laureate who left; the directory's demo profiles and its line on the privacy page."""

import io

import pytest
from django.utils import timezone

from applicants import space_links
from home.legal import processings
from laureates import demo as laureates_demo
from laureates.models import Laureate
from moderation.demo import EXAMPLE_CALL_SLUG
from network.directory_demo import PROFILES, load_directory
from network.models import DirectoryProfile
from tests.calls.factories import CallIndexPageFactory
from tests.laureates.factories import make_laureate
from tests.moderation.factories import make_call

pytestmark = pytest.mark.django_db


def test_a_member_laureates_space_links_to_the_agenda_and_the_directory(signed_in_client, agenda):
    laureate = make_laureate(contact_email="awa@example.org")
    client = signed_in_client("awa@example.org")
    html = client.get("/espace-candidat/").content.decode()
    assert "Le réseau des lauréats" in html
    assert '<a href="/agenda/">Agenda du réseau</a>' in html
    assert '<a href="/espace-candidat/annuaire/">Annuaire</a>' in html
    assert '<a href="/espace-candidat/mes-seances/">Mes séances</a>' in html
    assert '<a href="/espace-candidat/ressources/">Ressources</a>' in html
    # Leaving the network: the links go at the next request.
    Laureate.objects.filter(pk=laureate.pk).update(left_at=timezone.now())
    html = client.get("/espace-candidat/").content.decode()
    assert "Le réseau des lauréats" not in html and "/espace-candidat/annuaire/" not in html


def test_an_applicant_sees_no_network_link(signed_in_client, agenda):
    html = signed_in_client("candidate@example.org").get("/espace-candidat/").content.decode()
    assert "Le réseau des lauréats" not in html and "/espace-candidat/annuaire/" not in html


def test_the_registry_leaves_out_a_link_without_url_and_gives_none_to_non_members(rf):
    calls = []

    def build(request, laureates):
        calls.append(laureates)
        return None

    space_links.register("essai", "Essai", build, order=99)
    try:
        request = rf.get("/espace-candidat/")
        assert "essai" not in [link["key"] for link in space_links.member_links(request, ["un lauréat"])]
        assert calls == [["un lauréat"]]
        assert space_links.member_links(request, []) == [] and len(calls) == 1
    finally:
        space_links.unregister("essai")


def test_demo_profiles_for_the_example_laureates_only(home_page):
    call = make_call(CallIndexPageFactory(parent=home_page), slug=EXAMPLE_CALL_SLUG, title="Appel 2025 (exemple)")
    examples = [
        make_laureate(call=call, business_name=f"Exemple — Café {n}", contact_email=f"candidat.{n}@example.org")
        for n in range(3)
    ]
    laureates_demo.load(home_page, io.StringIO())  # the three real laureates of 2020
    load_directory(home_page, io.StringIO())
    load_directory(home_page, io.StringIO())  # idempotent
    profiles = DirectoryProfile.objects.order_by("laureate__business_name")
    assert [profile.laureate for profile in profiles] == examples
    for profile, data in zip(profiles, PROFILES, strict=True):
        assert profile.offer.startswith("Exemple — ") and profile.need.startswith("Exemple — ")
        assert profile.website in ("", "https://cafe.example.org/")
        assert {box for box in ("show_email", "show_phone", "show_website") if getattr(profile, box)} == data["shown"]
        assert profile.themes.count() == 2
    assert not DirectoryProfile.objects.filter(laureate__edition=2020).exists()


def test_the_privacy_page_lists_the_directory_with_its_retention(settings):
    settings.LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING = 7
    (entry,) = [item for item in processings() if item["name"] == "Annuaire des membres du réseau"]
    assert "7 mois après sa sortie" in entry["retention"]
