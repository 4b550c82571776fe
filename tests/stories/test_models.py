import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage
from stories.models import StoryIndexPage, StoryPage, Theme
from stories.taxonomy import SEED_THEMES, BusinessKind, OpeningStatus, Region
from tests.factories import ImageFactory, make_home
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory, ThemeFactory


class StoryPagesTest(WagtailPageTestCase):
    def setUp(self):
        self.home = make_home()
        self.index = StoryIndexPageFactory(parent=self.home)

    def test_tree_rules(self):
        self.assertCanCreateAt(HomePage, StoryIndexPage)
        self.assertCanCreateAt(StoryIndexPage, StoryPage)
        self.assertCanNotCreateAt(HomePage, StoryPage)
        self.assertCanNotCreateAt(StoryPage, StoryPage)
        self.assertAllowedSubpageTypes(StoryIndexPage, {StoryPage})

    def test_editor_can_create_a_story_with_themes(self):
        self.login()
        theme = Theme.objects.get(slug="parentalite")
        data = {
            "title": "La Blague",
            "slug": "la-blague",
            "business_name": "La Blague",
            "kind": BusinessKind.CAFE,
            "town": "Aubervilliers",
            "neighbourhood": "",
            "region": Region.ILE_DE_FRANCE,
            "opening_status": OpeningStatus.OUVERT,
            "year_founded": "2012",
            "laureate_year": "2021",
            "summary": "Un café de quartier.",
            "body": streamfield([]),
            "gallery_images": inline_formset([]),
            "support_received": rich_text("<p>Un financement des travaux.</p>"),
        }
        data = nested_form_data(data)
        data["themes"] = [str(theme.pk)]
        self.assertCanCreate(self.index, StoryPage, data)
        story = StoryPage.objects.get(slug="la-blague")
        assert list(story.themes.all()) == [theme]
        # The summary stands in for the meta description when none is written.
        assert story.search_description == "Un café de quartier."

    def test_story_is_renderable(self):
        story = StoryPageFactory(parent=self.index, themes=[ThemeFactory()])
        self.assertPageIsRenderable(story)
        self.assertPageIsRenderable(self.index)


@pytest.mark.django_db
def test_seed_themes_exist():
    assert set(Theme.objects.values_list("slug", flat=True)) >= {slug for slug, _ in SEED_THEMES}


@pytest.mark.django_db
def test_coordinates_go_together(home_page):
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory.build(latitude=48.9, longitude=None)
    story.path, story.depth = index.path + "0001", index.depth + 1
    with pytest.raises(ValidationError) as excinfo:
        story.clean()
    assert "longitude" in excinfo.value.message_dict
    assert "ensemble" in excinfo.value.message_dict["longitude"][0]


@pytest.mark.django_db
def test_open_business_cannot_be_founded_in_the_future():
    story = StoryPageFactory.build(year_founded=2999, opening_status=OpeningStatus.OUVERT, hero_image=None)
    with pytest.raises(ValidationError) as excinfo:
        story.clean()
    assert "year_founded" in excinfo.value.message_dict


@pytest.mark.django_db
def test_social_image_falls_back_to_hero_image(home_page):
    index = StoryIndexPageFactory(parent=home_page)
    story = StoryPageFactory(parent=index)
    assert story.get_social_image() == story.hero_image
    social = ImageFactory()
    story.social_image = social
    assert story.get_social_image() == social
