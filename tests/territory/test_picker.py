"""The commune's map on which an applicant places their business without a geocoder: its
frame around the commune's QPV, the SVG of the perimeters (names, no codes), its JSON
endpoint, the plain-words verdict, and the French formatting of distances."""

import re

import pytest
from django.utils import translation

from territory import picker, qpv


def test_a_commune_with_qpv_gets_a_frame_around_them():
    frame = picker.frame("13055")  # Marseille
    assert frame is not None and frame.qpv_count == len(qpv.index().by_commune["13055"])
    index = qpv.index()
    for q in index.by_commune["13055"]:
        west, south, east, north = index.bounds[index.position[q.code]]
        assert frame.contains(south, west) and frame.contains(north, east)
    # An arrondissement is drawn with its city's QPV.
    assert picker.frame("75118").qpv_count == 21
    assert 300 <= frame.height <= picker.WIDTH


def test_a_commune_without_qpv_has_no_map():
    assert picker.frame("01001") is None
    assert picker.render("01001") == ""
    assert picker.frame("00000") is None


def test_the_map_draws_each_perimeter_by_name_without_codes():
    svg = str(picker.render("75118"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    titles = re.findall(r"<title>([^<]+)</title>", svg)
    assert "Quartier prioritaire : Goutte D&#x27;Or" in titles
    assert "QN075" not in svg
    assert 'aria-label="Carte de Paris 18e Arrondissement : 21 quartiers prioritaires, en rose' in svg


def test_the_commune_centre_is_a_point_of_the_commune_from_the_data():
    latitude, longitude = picker.commune_centre("93001")  # Aubervilliers
    assert 48.89 < latitude < 48.94 and 2.36 < longitude < 2.41
    assert picker.commune_centre("01001") is None


@pytest.mark.parametrize(
    ("metres", "text"),
    [(12, "12 m"), (350, "350 m"), (999, "999 m"), (1000, "1 km"), (1234, "1,2 km"), (12_345, "12,3 km")],
)
def test_distances_are_formatted_the_french_way(metres, text):
    with translation.override("fr"):
        assert qpv.format_distance(metres) == text


def test_the_applicant_reads_words_not_codes():
    inside = qpv.locate(48.8871, 2.3526)
    assert inside.applicant_text() == "Dans un QPV : votre commerce est dans le quartier prioritaire « Goutte D'Or »."
    near = qpv.check(latitude=48.8556, longitude=2.2986, placed=True)
    assert near.method == qpv.Method.MAP
    assert near.applicant_text().startswith("Hors QPV : votre commerce est à ")
    assert "QN" not in near.applicant_text() and "QN" not in inside.applicant_text()


@pytest.mark.django_db
def test_the_map_endpoint(client):
    data = client.get("/api/qpv/carte/", {"commune": "75118"}).json()
    assert data["carte"]["svg"].startswith("<svg") and data["carte"]["nombre_de_qpv"] == 21
    assert data["carte"]["ouest"] < 2.35 < data["carte"]["est"]
    assert data["texte_candidat"].startswith("À vérifier : votre commune compte 21 quartiers prioritaires.")
    none = client.get("/api/qpv/carte/", {"commune": "01001"}).json()
    assert none["carte"] is None
    assert none["texte_candidat"].startswith("Hors QPV : votre commune ne compte aucun quartier prioritaire")
    bad = client.get("/api/qpv/carte/", {"commune": "<x>"})
    assert bad.status_code == 400 and "Code commune INSEE inconnu" in bad.json()["erreur"]
    point = client.get("/api/qpv/", {"lat": "48.8871", "lon": "2.3526"}).json()
    assert point["texte_candidat"] == "Dans un QPV : votre commerce est dans le quartier prioritaire « Goutte D'Or »."
