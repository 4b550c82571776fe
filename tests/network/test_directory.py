"""The members' directory: only signed-in member laureates and the team read it (anonymous:
the space's sign-in; an applicant, a laureate who left: 404; never the data, never cached or
indexed); filters and search in the database; each contact detail shown only once opted in,
changed by the laureate from their space with a history entry; the query count is pinned."""

from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from laureates.models import Actor, LaureateHistoryEntry
from laureates.retention import erase_contact
from network import directory
from network.models import DirectoryProfile
from stories.models import Theme
from tests.factories import UserFactory
from tests.laureates.factories import make_laureate

pytestmark = pytest.mark.django_db

URL = "/espace-candidat/annuaire/"
SECRET = "Fournisseur-secret-de-torrefaction"


def profile_url(laureate):
    return f"{URL}ma-fiche/{laureate.pk}/"


@pytest.fixture
def awa(db):
    return make_laureate(business_name="Café des Quatre-Chemins (exemple)", contact_email="awa@example.org")


@pytest.fixture
def bilal(db):
    laureate = make_laureate(
        business_name="Épicerie du Marché (exemple)",
        town="Toulouse",
        region="occitanie",
        business_kind="epicerie",
        contact_email="bilal@example.org",
        contact_phone="+33698765432",
        address="4 place du Marché, 31000 Toulouse",
    )
    directory.save_profile(
        laureate,
        {
            "offer": f"Notre {SECRET} et un prêt de vaisselle.",
            "need": "Un partenaire pour un jardin partagé.",
            "themes": [Theme.objects.get(slug="alimentation-durable")],
            "website": "https://epicerie.example.org/",
        },
    )
    return laureate


def profile_post(client, laureate, **fields):
    data = {"offer": "", "need": "", "website": "", **fields}
    return client.post(profile_url(laureate), data)


# --- Who reads it --------------------------------------------------------------------------------


def test_anonymous_gets_the_spaces_sign_in_never_the_data(client, bilal):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/espace-candidat/?suite=%2Fespace-candidat%2Fannuaire%2F"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert SECRET not in client.get(URL, follow=True).content.decode()
    assert client.get(profile_url(bilal)).status_code == 302


def test_an_applicant_who_is_no_laureate_gets_a_404(signed_in_client, bilal):
    client = signed_in_client("candidate@example.org")
    response = client.get(URL)
    assert response.status_code == 404 and SECRET not in response.content.decode()
    assert client.get(profile_url(bilal)).status_code == 404


def test_a_member_reads_it_privately_and_a_laureate_who_leaves_is_refused_at_the_next_request(
    signed_in_client, awa, bilal
):
    client = signed_in_client("awa@example.org")
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    assert SECRET in html and "Épicerie du Marché (exemple)" in html and "Café des Quatre-Chemins" in html
    awa.left_at = timezone.now()
    awa.save(update_fields=["left_at"])
    response = client.get(URL)
    assert response.status_code == 404 and SECRET not in response.content.decode()
    assert client.get(profile_url(awa)).status_code == 404


def test_a_laureate_who_left_is_not_listed(signed_in_client, awa, bilal):
    bilal.left_at = timezone.now()
    bilal.save(update_fields=["left_at"])
    html = signed_in_client("awa@example.org").get(URL).content.decode()
    assert "Épicerie du Marché" not in html and SECRET not in html


def test_the_team_reads_it_in_the_space_and_in_the_admin(client, team_user, bilal):
    team_user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(team_user)
    assert SECRET in client.get(URL).content.decode()
    response = client.get("/admin/annuaire/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert SECRET in html and "Épicerie du Marché (exemple)" in html
    # The team has no profile of its own to edit.
    assert client.get(profile_url(bilal)).status_code == 404


def test_an_admin_user_without_the_laureates_permission_is_refused(client, bilal):
    editor = UserFactory(username="redactrice", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/annuaire/").status_code == 403
    assert client.get(URL).status_code == 302  # not signed in to the space: its sign-in


def test_never_in_the_public_search(client, bilal):
    html = client.get("/recherche/", {"q": SECRET}).content.decode()
    assert "Épicerie du Marché" not in html


# --- What it shows -----------------------------------------------------------------------------


def test_no_contact_detail_is_shown_until_opted_in(signed_in_client, awa, bilal):
    client = signed_in_client("awa@example.org")
    html = client.get(URL).content.decode()
    assert "bilal@example.org" not in html and "+33698765432" not in html and "4 place du Marché" not in html
    assert "epicerie.example.org" not in html
    assert "Pas de coordonnées partagées" in html
    assert "Un partenaire pour un jardin partagé." in html and "Alimentation durable" in html
    directory.save_profile(
        bilal,
        {
            "offer": f"Notre {SECRET} et un prêt de vaisselle.",
            "need": "Un partenaire pour un jardin partagé.",
            "themes": [Theme.objects.get(slug="alimentation-durable")],
            "website": "https://epicerie.example.org/",
            "show_email": True,
            "show_website": True,
        },
    )
    html = client.get(URL).content.decode()
    assert 'href="mailto:bilal@example.org"' in html and 'href="https://epicerie.example.org/"' in html
    assert "+33698765432" not in html and "4 place du Marché" not in html


def test_filters_by_region_kind_theme_and_words(signed_in_client, awa, bilal):
    client = signed_in_client("awa@example.org")

    def names(**query):
        html = client.get(URL, query).content.decode()
        listed = {"Café des Quatre-Chemins": awa, "Épicerie du Marché": bilal}
        return {name for name, laureate in listed.items() if f'id="membre-{laureate.pk}"' in html}

    assert names() == {"Café des Quatre-Chemins", "Épicerie du Marché"}
    assert names(region="occitanie") == {"Épicerie du Marché"}
    assert names(region="ile-de-france") == {"Café des Quatre-Chemins"}
    assert names(kind="epicerie") == {"Épicerie du Marché"}
    assert names(theme="alimentation-durable") == {"Épicerie du Marché"}
    assert names(theme="parentalite") == set()
    # Words, accents and case ignored in what the laureate wrote: « jardin partage » finds « partagé ».
    assert names(q="JARDIN partage") == {"Épicerie du Marché"}
    assert names(q="Quatre-Chemins") == {"Café des Quatre-Chemins"}
    assert names(q="toulouse", region="ile-de-france") == set()


def test_a_wrong_filter_gets_a_french_message_and_is_left_out(signed_in_client, awa, bilal):
    client = signed_in_client("awa@example.org")
    response = client.get(URL, {"region": "atlantide", "q": "jardin"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Cette région n'existe pas : choisissez-en une dans la liste." in html
    # The words still apply: only the grocery is listed.
    assert f'id="membre-{bilal.pk}"' in html and f'id="membre-{awa.pk}"' not in html


def test_query_count_is_pinned_whatever_the_number_of_members(signed_in_client, awa, bilal, django_assert_num_queries):
    client = signed_in_client("awa@example.org")
    client.get(URL)  # the footer's legal pages, kept per generation once read

    # session, member laureates, themes (filters), count, the page of laureates with their
    # profile, the profiles' themes, the site (the layout), the session's renewal (savepoint,
    # update, release).
    with django_assert_num_queries(10):
        assert client.get(URL, {"region": "occitanie"}).status_code == 200
    themes = list(Theme.objects.all()[:2])
    for number in range(20):
        laureate = make_laureate(
            business_name=f"Commerce {number:02d} (exemple)", contact_email=f"m{number}@example.org"
        )
        directory.save_profile(laureate, {"offer": "Exemple", "themes": themes, "show_email": True})
    client.get(URL)  # a new laureate starts a new generation of the layout's values (key figures)
    with django_assert_num_queries(10):
        response = client.get(URL)
    assert response.content.decode().count("directory-entry") >= 22


# --- The laureate's own profile ---------------------------------------------------------------


def test_the_laureate_opts_in_and_out_with_a_history_entry_never_the_values(signed_in_client, awa):
    client = signed_in_client("awa@example.org")
    page = client.get(profile_url(awa))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Ce qui sera montré : +33612345678" in page.content.decode()
    response = profile_post(
        client,
        awa,
        offer="Un four à prêter le dimanche.",
        themes=[Theme.objects.get(slug="parentalite").pk],
        show_phone="on",
    )
    assert response.status_code == 303 and response["Location"] == profile_url(awa)
    profile = DirectoryProfile.objects.get(laureate=awa)
    assert (profile.show_phone, profile.show_email, profile.show_address, profile.show_website) == (
        True,
        False,
        False,
        False,
    )
    entry = LaureateHistoryEntry.objects.get(laureate=awa)
    assert entry.actor == Actor.LAUREAT and entry.action == "Fiche de l'annuaire modifiée par le lauréat"
    assert "Téléphone : montré aux membres" in entry.detail and "+33612345678" not in entry.detail
    assert "four" not in entry.detail
    html = client.get(profile_url(awa)).content.decode()
    assert "Votre fiche est enregistrée" in html and 'href="tel:+33612345678"' in html
    # Hidden again at once: the members no longer read it.
    profile_post(client, awa, offer="Un four à prêter le dimanche.", themes=[Theme.objects.get(slug="parentalite").pk])
    assert "+33612345678" not in client.get(URL).content.decode()
    assert "Téléphone : masqué" in LaureateHistoryEntry.objects.filter(laureate=awa).last().detail


def test_saving_without_a_change_writes_nothing(signed_in_client, awa):
    client = signed_in_client("awa@example.org")
    response = profile_post(client, awa)
    assert response.status_code == 303
    assert not DirectoryProfile.objects.exists() and not LaureateHistoryEntry.objects.exists()
    assert "Rien n'a changé dans votre fiche." in unescape(client.get(profile_url(awa)).content.decode())


def test_bad_input_gets_french_messages_and_changes_nothing(signed_in_client, awa):
    client = signed_in_client("awa@example.org")
    response = profile_post(client, awa, offer="x" * 1001, show_website="on", website="")
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Votre fiche n'est pas enregistrée" in html
    assert "Ce texte dépasse 1000 caractères : raccourcissez-le." in html
    assert "Indiquez l'adresse du site internet, ou décochez" in html
    response = profile_post(client, awa, website="pas une adresse", themes=["999999"])
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Écrivez une adresse internet complète" in html
    assert not DirectoryProfile.objects.exists() and not LaureateHistoryEntry.objects.exists()


def test_another_laureates_profile_is_a_404_and_changes_nothing(signed_in_client, awa, bilal):
    client = signed_in_client("awa@example.org")
    assert client.get(profile_url(bilal)).status_code == 404
    assert profile_post(client, bilal, show_email="on", show_phone="on").status_code == 404
    profile = DirectoryProfile.objects.get(laureate=bilal)
    assert not profile.show_email and not profile.show_phone


def test_the_profile_goes_with_the_erased_contact_data(bilal):
    bilal.left_at = timezone.now()
    bilal.save(update_fields=["left_at"])
    assert DirectoryProfile.objects.filter(laureate=bilal).exists()
    erase_contact(bilal)
    assert not DirectoryProfile.objects.filter(laureate=bilal).exists()
