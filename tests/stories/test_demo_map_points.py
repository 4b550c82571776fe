"""The demo stories are placed at their commune (territory data, never an invented street
address), so that the index's map draws a dot per town after ``make run``."""

import io

import pytest
from django.core.management import call_command

from stories.demo import TOWN_COMMUNES
from stories.map import build_map, public_stories
from stories.models import StoryIndexPage, StoryPage
from territory import geo, picker

pytestmark = pytest.mark.django_db


def test_every_demo_story_has_its_commune_and_the_map_draws_them(client):
    call_command("load_demo_content", stdout=io.StringIO())
    stories = list(StoryPage.objects.all())
    assert stories
    for story in stories:
        assert story.commune_code == TOWN_COMMUNES[story.town]
        assert geo.commune(story.commune_code).name == story.town
        latitude, longitude = picker.commune_centre(story.commune_code)
        assert (float(story.latitude), float(story.longitude)) == (latitude, longitude)
        assert story.street_address == ""
    index = StoryIndexPage.objects.get()
    drawn = build_map(public_stories(index), index.url)
    assert drawn["points"] == len(set(TOWN_COMMUNES.values()))
    html = client.get(index.url).content.decode()
    assert html.count('class="map-point"') == len(TOWN_COMMUNES)
