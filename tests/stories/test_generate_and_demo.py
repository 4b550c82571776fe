"""generate_stories (count, reproducibility, pages that render) and the demo content."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from home.models import HomePage
from stories.models import StoryPage
from stories.taxonomy import BusinessKind, Region
from tests.stories.factories import StoryIndexPageFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return [
        (s.title, s.town, s.region, s.kind, s.laureate_year, tuple(s.themes.values_list("slug", flat=True)))
        for s in StoryPage.objects.order_by("path").prefetch_related("themes")
    ]


def test_generate_stories_creates_live_searchable_stories(client, home_page):
    index = StoryIndexPageFactory(parent=home_page)
    err, out = io.StringIO(), io.StringIO()
    call_command("generate_stories", count=25, seed=4, stdout=out, stderr=err)
    stories = StoryPage.objects.live()
    assert stories.count() == 25
    assert "25 récits créés" in out.getvalue()
    assert "25/25" in err.getvalue()  # the progress bar
    assert set(stories.values_list("region", flat=True)) <= set(Region.values)
    assert set(stories.values_list("kind", flat=True)) <= set(BusinessKind.values)
    assert all(story.is_example and story.hero_image_id for story in stories)
    assert all(story.themes.exists() for story in stories)
    assert len(set(stories.values_list("slug", flat=True))) == 25
    # The tree is sound (paths, depths and the index's numchild), as after add_child.
    assert all(problems == [] for problems in Page.find_problems())
    index.refresh_from_db()
    assert index.numchild == 25
    # They render, and the index lists them.
    story = stories.first()
    assert client.get(story.url).status_code == 200
    assert "25 lauréats" in client.get("/laureats/").content.decode()
    # The search index was filled in bulk.
    found = StoryPage.objects.live().search(story.business_name)
    assert story.pk in [result.pk for result in found]


def test_generate_stories_is_reproducible_with_a_seed(home_page):
    index = StoryIndexPageFactory(parent=home_page)
    call_command("generate_stories", count=8, seed=42, stdout=io.StringIO(), stderr=io.StringIO())
    first = snapshot()
    for story in StoryPage.objects.all():
        story.delete()
    index.refresh_from_db()
    call_command("generate_stories", count=8, seed=42, stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot() == first
    call_command("generate_stories", count=8, seed=43, stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot()[8:] != first


def test_generate_stories_needs_the_index(home_page):
    with pytest.raises(CommandError, match="load_demo_content"):
        call_command("generate_stories", count=1, stdout=io.StringIO(), stderr=io.StringIO())


def test_demo_content_is_idempotent_and_features_three_stories(client):
    call_command("load_demo_content", stdout=io.StringIO())
    first = snapshot()
    assert len(first) >= 15
    names = {story[0] for story in first}
    assert {"La Blague", "La Passerelle Négreneys", "La Marmite Joyeuse"} <= names
    blague = StoryPage.objects.get(slug="la-blague")
    assert (blague.town, blague.region, blague.is_example) == ("Aubervilliers", Region.ILE_DE_FRANCE, False)
    assert StoryPage.objects.get(slug="la-marmite-joyeuse").region == Region.PROVENCE_ALPES_COTE_D_AZUR
    assert StoryPage.objects.get(slug="la-passerelle-negreneys").town == "Toulouse"
    assert StoryPage.objects.filter(is_example=True).count() >= 12
    assert len({story[2] for story in first}) >= 8  # regions
    assert len({story[3] for story in first}) == 5  # kinds
    home = HomePage.objects.get()
    featured = [item.page.title for item in home.featured_stories.all()]
    assert featured == ["La Blague", "La Passerelle Négreneys", "La Marmite Joyeuse"]

    call_command("load_demo_content", stdout=io.StringIO())
    assert snapshot() == first
    assert home.featured_stories.count() == 3
    assert StoryPage.objects.get(slug="la-blague").gallery_images.count() == 2

    home_html = client.get("/").content.decode()
    assert "La Marmite Joyeuse" in home_html
    assert "jardin partagé" in home_html  # the story's summary, as its search description
    for url in ("/laureats/", "/laureats/la-blague/", "/laureats/?region=occitanie&kind=tiers-lieu"):
        assert client.get(url).status_code == 200
