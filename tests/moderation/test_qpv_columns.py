"""The QPV check in the queue (column, filter), the exports and the promoted story."""

import csv
import io

import pytest

from calls.models import Status
from moderation.promote import create_story
from stories.models import StoryPage
from tests.moderation.factories import ApplicationFactory
from tests.stories.factories import StoryIndexPageFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/moderation/"


@pytest.fixture
def checked(call):
    return {
        "in": ApplicationFactory(
            page=call, qpv_method="point", qpv_code="QN07511M", qpv_name="Goutte D'Or", qpv_distance_m=0,
            commune_code="75118", latitude=48.8871, longitude=2.3526,
        ),
        "near": ApplicationFactory(
            page=call, qpv_method="point", qpv_code="QN07511M", qpv_name="Goutte D'Or", qpv_distance_m=350
        ),
        "beyond": ApplicationFactory(
            page=call, qpv_method="point", qpv_code="QN07521N", qpv_name="Falguière", qpv_distance_m=2200
        ),
        "none": ApplicationFactory(page=call, qpv_method="point"),
        "commune": ApplicationFactory(
            page=call, qpv_method="commune", qpv_code="QN00201M", qpv_name="Europe", commune_code="02691"
        ),
        "old": ApplicationFactory(page=call),
    }  # fmt: skip


def test_the_queue_filters_on_the_qpv_check(client, moderator, checked):
    client.force_login(moderator)

    def listed(**params):
        html = client.get(INDEX, params).content.decode()
        return {name for name, application in checked.items() if application.reference in html}

    assert listed() == set(checked)
    assert listed(qpv="in") == {"in"}
    assert listed(qpv="near") == {"near"}
    assert listed(qpv="beyond") == {"beyond", "none"}
    assert listed(qpv="commune") == {"commune"}
    assert listed(qpv="nonsense") == set(checked)


def test_the_queue_shows_the_qpv_column(client, moderator, checked):
    client.force_login(moderator)
    html = client.get(INDEX).content.decode()
    assert "en QPV<br><small>Goutte D&#x27;Or (QN07511M)</small>" in html
    assert "à 350 m<br><small>Goutte D&#x27;Or (QN07511M)</small>" in html
    assert "hors QPV<br><small>aucun QPV proche</small>" in html
    assert "à vérifier<br><small>adresse non localisée</small>" in html
    # Filter choices, in French.
    for label in ("en QPV", "à moins de 500 m", "au-delà"):
        assert label in html


def test_the_csv_export_has_the_qpv_columns(client, moderator, checked):
    client.force_login(moderator)
    response = client.get(INDEX, {"export": "csv", "qpv": "near"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    headings = rows[0]
    start = headings.index("QPV")
    assert headings[start : start + 6] == [
        "QPV",
        "Code QPV",
        "Nom du QPV",
        "Distance au QPV (m)",
        "Vérification QPV",
        "Code INSEE de la commune",
    ]
    assert len(rows) == 2
    assert rows[1][start : start + 6] == [
        "à 350 m du QPV Goutte D'Or (QN07511M)",
        "QN07511M",
        "Goutte D'Or",
        "350",
        "adresse localisée",
        "",
    ]


def test_promotion_copies_the_check_and_the_point_to_the_draft_story(home_page, call, moderator, checked):
    StoryIndexPageFactory(parent=home_page)
    call.qpv_max_distance_m = 800
    call.save()
    application = checked["in"]
    application.status = Status.LAUREATE
    application.save()
    story = StoryPage.objects.get(pk=create_story(application, moderator).pk)
    assert (story.qpv_code, story.qpv_name, story.qpv_distance_m) == ("QN07511M", "Goutte D'Or", 0)
    assert story.commune_code == "75118" and story.qpv_max_distance_m == 800
    assert (float(story.latitude), float(story.longitude)) == (48.8871, 2.3526)
