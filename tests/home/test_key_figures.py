"""The computed key figures (home/figures.py): each one against the data, kept in the cache and
refreshed when the data change, shown by the « Chiffres clés » block beside typed ones, and
still shown when the cache does not answer."""

import datetime
import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.blocks import StructBlockValidationError

from calls.models import Application
from home import cache as generation_cache
from home import figures
from home.blocks import KeyFigureBlock, KeyFiguresBlock
from stories.taxonomy import Region
from tests.calls.factories import CallIndexPageFactory, CallPageFactory
from tests.home.test_cache import CacheDown
from tests.moderation.factories import ApplicationFactory
from tests.stories.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db
PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def calls(home_page):
    index = CallIndexPageFactory(parent=home_page)
    first = CallPageFactory(
        parent=index,
        slug="appel-2030",
        opens_at=datetime.datetime(2030, 1, 10, 9, 0, tzinfo=PARIS),
        closes_at=datetime.datetime(2030, 3, 1, 9, 0, tzinfo=PARIS),
    )
    second = CallPageFactory(
        parent=index,
        slug="appel-2031",
        opens_at=datetime.datetime(2031, 1, 10, 9, 0, tzinfo=PARIS),
        closes_at=datetime.datetime(2031, 3, 1, 9, 0, tzinfo=PARIS),
    )
    return first, second


def applications(call, regions, **kwargs):
    return [ApplicationFactory(page=call, region=region, **kwargs) for region in regions]


def test_applications_received_and_their_regions_per_edition(calls):
    first, second = calls
    applications(first, [Region.ILE_DE_FRANCE, Region.ILE_DE_FRANCE, Region.OCCITANIE, ""])
    applications(second, [Region.BRETAGNE, Region.GRAND_EST])
    applications(second, [Region.CORSE], is_spam=True)  # spam is not an application
    assert figures.compute("candidatures", 2030) == 4
    assert figures.compute("candidatures", 2031) == 2
    assert figures.compute("candidatures") == 6
    assert figures.compute("regions_candidatures", 2030) == 2  # an unanswered région is none
    assert figures.compute("regions_candidatures") == 4
    assert figures.compute("candidatures", 2029) == 0
    assert figures.editions() == [2030, 2031]


def test_stories_published_count_live_public_stories_per_award_year(home_page):
    index = StoryIndexPageFactory(parent=home_page)
    StoryPageFactory(parent=index, laureate_year=2021)
    StoryPageFactory(parent=index, laureate_year=2022)
    draft = StoryPageFactory(parent=index, laureate_year=2022)
    draft.unpublish()
    assert figures.compute("recits") == 2
    assert figures.compute("recits", 2022) == 1


def test_values_are_cached_and_refreshed_when_the_data_change(calls):
    first, _second = calls
    applications(first, [Region.BRETAGNE])
    wanted = [("candidatures", 2030), ("regions_candidatures", 2030)]
    assert figures.values(wanted) == [1, 1]
    with CaptureQueriesContext(connection) as captured:
        assert figures.values(wanted) == [1, 1]
    assert len(captured) == 0  # read from the cache
    applications(first, [Region.OCCITANIE])  # a new application: a new generation
    assert figures.values(wanted) == [2, 2]
    Application.objects.filter(region=Region.OCCITANIE).get().delete()
    assert figures.values(wanted) == [1, 1]


def test_a_change_of_the_data_refreshes_the_page_cache_too(calls):
    from home.page_cache import page_cache

    before = page_cache().generation()
    applications(calls[0], [Region.BRETAGNE])
    assert page_cache().generation() > before


def test_figures_are_shown_when_the_cache_does_not_answer(calls, monkeypatch, caplog):
    applications(calls[0], [Region.BRETAGNE, Region.CORSE])
    monkeypatch.setattr(generation_cache, "cache", CacheDown())
    caplog.set_level(logging.WARNING, logger="home.cache")
    block = KeyFiguresBlock()
    html = block.render(block.to_python({"title": "", "figures": [{"figure": "candidatures", "edition": 2030}]}))
    assert ">2<" in html and "candidatures reçues (édition 2030)" in html
    assert any("The cache did not answer" in record.getMessage() for record in caplog.records)


def test_the_block_shows_typed_and_computed_figures_side_by_side(calls):
    applications(calls[0], [Region.BRETAGNE] * 3)
    block = KeyFiguresBlock()
    value = block.to_python(
        {
            "title": "En chiffres",
            "figures": [
                {"value": "87", "label": "candidatures reçues en 2020"},
                {"figure": "candidatures", "edition": 2030, "value": "", "label": ""},
                {"figure": "candidatures", "edition": None, "value": "", "label": "dossiers au total"},
                {"figure": "ancien_chiffre", "edition": None, "value": "", "label": "plus calculé"},
                {"figure": "candidatures", "edition": 2031, "value": "", "label": "pas encore"},
            ],
        }
    )
    html = block.render(value)
    assert "87" in html and "candidatures reçues en 2020" in html
    shown = (
        '<span class="key-figures__value">3</span> <span class="key-figures__label">candidatures reçues (édition 2030)'
    )
    assert shown in html
    assert "dossiers au total" in html
    assert "plus calculé" not in html  # a figure no longer registered is left out
    assert "pas encore" not in html  # nor one at zero (no application yet for 2031)
    assert html.count("<li>") == 3


def test_the_block_refuses_an_item_that_is_neither_or_both():
    block = KeyFigureBlock()
    with pytest.raises(StructBlockValidationError) as both:
        block.clean(block.to_python({"figure": "candidatures", "value": "12", "label": "x"}))
    assert "pas les deux" in str(both.value.block_errors["value"])
    with pytest.raises(StructBlockValidationError) as neither:
        block.clean(block.to_python({"figure": "", "value": "", "label": ""}))
    assert set(neither.value.block_errors) == {"value", "label"}
    with pytest.raises(StructBlockValidationError) as typed_edition:
        block.clean(block.to_python({"value": "12", "label": "régions", "edition": 2020}))
    assert set(typed_edition.value.block_errors) == {"edition"}
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"figure": "pas_un_chiffre"}))
    cleaned = block.clean(block.to_python({"figure": "candidatures", "edition": 2030}))
    assert cleaned["figure"] == "candidatures" and cleaned["label"] == ""


def test_the_choices_list_every_registered_figure():
    keys = {key for key, _label in figures.choices()}
    assert {"candidatures", "regions_candidatures", "recits"} <= keys


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (625000, figures.EUROS, "625\u00a0000\u00a0€"),
        ("12500.50", figures.EUROS, "12\u00a0500,50\u00a0€"),
        (1234567, figures.COUNT, "1\u00a0234\u00a0567"),
        (87, figures.COUNT, "87"),
        (0, figures.EUROS, "0\u00a0€"),
    ],
)
def test_figures_read_as_french_numbers(value, kind, shown):
    assert figures.display(value, kind) == shown


def home_queries(client):
    client.get("/")
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/").status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/").status_code == 200
    return len(warm), len(cold)


def test_query_counts_of_the_home_with_computed_figures(client, calls, settings):
    """Computed figures cost nothing once cached, and about one query each right after a change."""
    settings.PAGE_CACHE_SECONDS = 0
    home = calls[0].get_parent().get_parent().specific
    applications(calls[0], [Region.BRETAGNE, Region.CORSE])
    typed = [{"value": str(n), "label": f"typé {n}"} for n in range(4)]
    home.key_figures = [{"type": "key_figures", "value": {"title": "Chiffres", "figures": typed}}]
    home.save_revision().publish()
    typed_warm, typed_cold = home_queries(client)

    computed = [
        {"figure": "candidatures", "edition": 2030},
        {"figure": "regions_candidatures", "edition": 2030},
        {"figure": "candidatures", "edition": None},
        {"figure": "recits", "edition": None},
    ]
    home.key_figures = [{"type": "key_figures", "value": {"title": "Chiffres", "figures": computed}}]
    home.save_revision().publish()
    computed_warm, computed_cold = home_queries(client)
    assert "régions d&#x27;où viennent les candidatures (édition 2030)" in client.get("/").content.decode()
    assert computed_warm == typed_warm
    # One query per computed figure, and one more: the stories' ``public()`` reads the view
    # restrictions first.
    assert computed_cold <= typed_cold + len(computed) + 1


def test_the_page_editor_offers_the_computed_figures(client, calls):
    from tests.factories import UserFactory

    home = calls[0].get_parent().get_parent().specific
    home.key_figures = [
        {"type": "key_figures", "value": {"title": "", "figures": [{"value": "87", "label": "candidatures en 2020"}]}}
    ]
    home.save_revision().publish()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/admin/pages/{home.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    # The block's definition (JSON for the editor's script) lists the registered figures.
    assert "regions_candidatures" in html and "recits" in html
