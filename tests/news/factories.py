import datetime

import factory
import wagtail_factories

from news.models import Category, NewsIndexPage, NewsPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Actualités"
    slug = "actualites"
    intro = "Les nouvelles du programme."


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Nouvelle d'exemple {n:03d}")
    slug = factory.Sequence(lambda n: f"nouvelle-{n:03d}")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) - datetime.timedelta(days=n))
    category = Category.EVENEMENTS
    summary = factory.LazyAttribute(lambda o: f"Résumé de {o.title}.")
    live = True
