"""Factories for the stories app (wagtail-factories / factory_boy).

``StoryPageFactory(parent=index, ...)`` creates a live story; pass ``themes=[...]`` to set
its themes (a ParentalManyToManyField, saved with the page).
"""

import factory
import wagtail_factories

from stories.models import StoryIndexPage, StoryPage, Theme
from stories.taxonomy import BusinessKind, OpeningStatus, Region
from tests.factories import ImageFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StoryIndexPage

    title = "Les lauréats"
    slug = "laureats"
    intro = "Les commerces récompensés par Quartiers Cafés."


class StoryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StoryPage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Café exemple {n:03d}")
    slug = factory.Sequence(lambda n: f"cafe-exemple-{n:03d}")
    business_name = factory.LazyAttribute(lambda o: o.title)
    kind = BusinessKind.CAFE
    town = "Aubervilliers"
    neighbourhood = "Villette - Quatre-Chemins"
    region = Region.ILE_DE_FRANCE
    opening_status = OpeningStatus.OUVERT
    year_founded = 2015
    laureate_year = 2021
    summary = factory.LazyAttribute(lambda o: f"{o.title} accueille le quartier autour d'un café (exemple).")
    search_description = factory.LazyAttribute(lambda o: o.summary)
    # Large enough for the card renditions (fill-720x480) to be made at their full size.
    hero_image = factory.SubFactory(ImageFactory, file__width=800, file__height=540)
    live = True

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if extracted:
            obj.themes.set(extracted)
            if create:
                obj.save()
