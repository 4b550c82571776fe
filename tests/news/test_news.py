import datetime

import pytest
from wagtail.models import PageViewRestriction

from news.models import PAGE_SIZE
from tests.news.factories import NewsIndexPageFactory, NewsPageFactory


@pytest.fixture
def news_index(home_page):
    return NewsIndexPageFactory(parent=home_page)


def titles(response):
    return [item.title for item in response.context["news_items"]]


@pytest.mark.django_db
def test_index_lists_live_public_news_newest_first_ten_a_page(client, news_index, django_assert_max_num_queries):
    pages = [NewsPageFactory(parent=news_index) for _ in range(PAGE_SIZE + 3)]
    draft = NewsPageFactory(parent=news_index, title="Brouillon caché", live=False)
    private = NewsPageFactory(parent=news_index, title="Réservée à l'équipe")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    newest = sorted(pages, key=lambda page: page.date, reverse=True)

    response = client.get("/actualites/")
    assert response.status_code == 200
    assert titles(response) == [page.title for page in newest[:PAGE_SIZE]]
    html = response.content.decode()
    assert draft.title not in html and private.title not in html
    assert "13 actualités" in html and "page 1 sur 2" in html
    assert 'href="/actualites/?page=2"' in html

    # The site's chrome (menu, settings, footer) is kept per generation: a listing page costs
    # the count, its items, the years, the routing and the private section's checks, whatever
    # the number of news.
    with django_assert_max_num_queries(11):
        second = client.get("/actualites/?page=2")
    assert titles(second) == [page.title for page in newest[PAGE_SIZE:]]
    assert 'href="/actualites/" rel="prev"' in second.content.decode()
    # A page number out of range shows the last page, junk the first.
    assert titles(client.get("/actualites/?page=99")) == titles(second)
    assert titles(client.get("/actualites/?page=abc")) == titles(response)


@pytest.mark.django_db
def test_archive_by_year(client, news_index):
    old = NewsPageFactory(parent=news_index, title="Atelier de 2024", date=datetime.date(2024, 5, 2))
    recent = NewsPageFactory(parent=news_index, title="Résultats de 2026", date=datetime.date(2026, 3, 1))

    response = client.get("/actualites/2024/")
    assert response.status_code == 200
    assert titles(response) == [old.title]
    html = response.content.decode()
    assert recent.title not in html
    assert 'href="/actualites/2024/" aria-current="page"' in html
    assert 'href="/actualites/2026/"' in html
    assert client.get("/actualites/2019/").status_code == 404
    # A news page is still found by its slug beside the year routes.
    page = client.get(recent.url)
    assert page.status_code == 200 and "Résultats de 2026" in page.content.decode()


@pytest.mark.django_db
def test_latest_news_on_the_home_page(client, news_index, django_assert_max_num_queries):
    NewsPageFactory(parent=news_index, title="Ancienne nouvelle", date=datetime.date(2025, 1, 1))
    for day in (2, 3, 4):
        NewsPageFactory(parent=news_index, title=f"Nouvelle du {day} mars", date=datetime.date(2026, 3, day))
    NewsPageFactory(parent=news_index, title="Brouillon du 5 mars", date=datetime.date(2026, 3, 5), live=False)

    html = client.get("/").content.decode()
    assert "Nouvelle du 4 mars" in html and "Nouvelle du 2 mars" in html
    assert "Ancienne nouvelle" not in html and "Brouillon du 5 mars" not in html
    assert html.index("Nouvelle du 4 mars") < html.index("Nouvelle du 3 mars")
    assert 'href="/actualites/"' in html
    # Kept under the page cache's generation: no query for the section on the next render.
    from django.test import RequestFactory

    from news.sections import latest_news

    home = news_index.get_parent().specific
    request = RequestFactory().get("/")
    latest_news(home, request)
    with django_assert_max_num_queries(0):
        assert len(latest_news(home, request)["items"]) == 3


@pytest.mark.django_db
def test_news_in_search_and_sitemap(client, news_index):
    page = NewsPageFactory(parent=news_index, title="Inauguration à Roubaix", summary="Une fête de quartier.")
    NewsPageFactory(parent=news_index, title="Inauguration brouillon", live=False)

    response = client.get("/recherche/", {"q": "inauguration"})
    html = response.content.decode()
    assert "Inauguration à Roubaix" in html and "Actualité" in html
    assert "Inauguration brouillon" not in html

    sitemap = client.get("/sitemap.xml").content.decode()
    assert page.full_url in sitemap and "/actualites/</loc>" in sitemap
