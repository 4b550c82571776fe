"""Factories shared by every test folder (wagtail-factories / factory_boy)."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import Site

from home.models import HomePage, Partner, ProgrammePage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("motdepasse-solide-42")


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    alt_text = "Une terrasse de café au soleil"
    credit = "Photo d'exemple"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partenaire {n}")
    logo = factory.SubFactory(ImageFactory)


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Accueil"
    slug = "accueil"
    hero_title = "Les commerces qui font vivre les quartiers"
    hero_text = "Un programme qui récompense les commerces de proximité."


class ProgrammePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ProgrammePage

    title = factory.Sequence(lambda n: f"Page du programme {n}")
    intro = "Le programme finance et accompagne les lauréats."


def make_home(**kwargs):
    """Create a HomePage under the tree root and make it the default site's root."""
    from wagtail.models import Page

    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, **kwargs)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.save()
    Site.clear_site_root_paths_cache()
    return home
