import pytest
from django.urls import reverse

from calls.models import Status
from moderation.models import HistoryEntry, StoryLink
from moderation.promote import CannotPromote, create_story
from stories.models import StoryPage
from tests.moderation.factories import ApplicationFactory
from tests.stories.factories import StoryIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def laureats(home_page):
    return StoryIndexPageFactory(parent=home_page)


@pytest.fixture
def laureate(call):
    return ApplicationFactory(
        page=call,
        status=Status.LAUREATE,
        business_name="La Marmite Joyeuse",
        town="Marseille",
        region="provence-alpes-cote-d-azur",
        business_kind="restaurant",
        quartier="Noailles",
        description="Une cantine de quartier avec des repas suspendus et des ateliers parents-enfants.",
    )


def test_a_laureate_becomes_a_linked_draft_story(laureats, laureate, moderator):
    story = create_story(laureate, moderator)
    story = StoryPage.objects.get(pk=story.pk)
    assert not story.live and story.get_parent().specific == laureats
    assert story.url_path.endswith("/laureats/la-marmite-joyeuse/")
    assert (story.business_name, story.town, story.neighbourhood) == ("La Marmite Joyeuse", "Marseille", "Noailles")
    assert (story.region, story.kind) == ("provence-alpes-cote-d-azur", "restaurant")
    assert story.summary.startswith("[Mots du candidat, à réécrire] Une cantine de quartier")
    assert story.get_latest_revision() is not None
    # Linked both ways.
    assert laureate.story_link.story == story
    assert story.application_link.application == laureate
    assert laureate.history.filter(kind=HistoryEntry.Kind.STORY).count() == 1
    with pytest.raises(CannotPromote):
        create_story(laureate, moderator)


def test_only_a_laureate(laureats, call, moderator):
    application = ApplicationFactory(page=call, status=Status.PRESELECTIONNEE)
    with pytest.raises(CannotPromote):
        create_story(application, moderator)
    assert not StoryPage.objects.exists()


def test_the_slug_is_free(laureats, call, moderator):
    first = ApplicationFactory(page=call, status=Status.LAUREATE, business_name="Le Zinc")
    second = ApplicationFactory(page=call, status=Status.LAUREATE, business_name="Le Zinc")
    assert create_story(first, moderator).slug == "le-zinc"
    assert create_story(second, moderator).slug == "le-zinc-2"


def test_a_moderator_without_page_rights_stays_on_the_application(client, laureats, laureate, moderator):
    client.force_login(moderator)
    response = client.post(reverse("moderation:promote", args=[laureate.pk]))
    assert StoryLink.objects.filter(application=laureate).exists()
    assert response["Location"] == reverse("moderation:application", args=[laureate.pk])


def test_one_action_from_the_application(client, laureats, laureate, admin_user, reviewer):
    client.force_login(reviewer)
    client.post(reverse("moderation:promote", args=[laureate.pk]))
    assert not StoryLink.objects.exists()
    client.force_login(admin_user)
    inspect = reverse("moderation:application", args=[laureate.pk])
    assert "Créer le brouillon du récit" in client.get(inspect).content.decode()
    response = client.post(reverse("moderation:promote", args=[laureate.pk]))
    story = StoryLink.objects.get().story
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[story.pk])
    html = client.get(inspect).content.decode()
    assert "La Marmite Joyeuse" in html and reverse("wagtailadmin_pages:edit", args=[story.pk]) in html


def test_themes_from_the_answers_and_a_warning_for_the_same_business(client, laureats, laureate, call, admin_user):
    from stories.models import Theme

    parents, _created = Theme.objects.get_or_create(name="Parents-enfants", defaults={"slug": "parents-enfants-x"})
    unrelated, _created = Theme.objects.get_or_create(name="Zéro déchet absolu", defaults={"slug": "zero-dechet-x"})
    story = create_story(laureate, admin_user)
    assert parents in story.themes.all() and unrelated not in story.themes.all()
    assert story.laureate_year == call.closes_at.year
    # Another laureate application of the same business: the editor is warned.
    again = ApplicationFactory(
        page=call,
        status=Status.LAUREATE,
        business_name="la marmite joyeuse",
        town="Marseille",
        region="provence-alpes-cote-d-azur",
    )
    client.force_login(admin_user)
    response = client.post(reverse("moderation:promote", args=[again.pk]), follow=True)
    assert "Un récit existe déjà pour ce commerce : « La Marmite Joyeuse »" in response.content.decode()
