"""The QPV lookup on the real 2024 perimeters: inside, outside, near a boundary, several
communes, outre-mer, a commune without QPV; the distance checked against geodesics."""

import numpy as np
import pytest
import shapely
from pyproj import Geod

from territory import geo, qpv
from territory.qpv import Method

GEOD = Geod(ellps="WGS84")


def test_all_perimeters_are_loaded_once():
    index = qpv.index()
    assert len(index.qpvs) == 1584
    assert len({q.code for q in index.qpvs}) == 1584
    assert qpv.index() is index


def test_a_point_in_the_goutte_d_or_is_inside_it():
    result = qpv.locate(48.8871, 2.3526)
    assert result.method == Method.POINT and result.inside
    assert result.qpv.code == "QN07511M" and result.distance_m == 0
    assert result.text() == "dans le QPV Goutte D'Or (QN07511M)"


def test_the_champ_de_mars_is_in_no_qpv_and_its_distance_is_in_metres():
    result = qpv.locate(48.8556, 2.2986)
    assert not result.inside
    assert result.qpv is not None and result.distance_m > 500
    assert result.text().startswith("à ") and "km du QPV" in result.text()


def test_far_from_any_qpv_says_so_with_the_search_radius(settings):
    settings.TERRITORY_QPV_SEARCH_RADIUS = 5000
    # The Aubrac plateau: no QPV for tens of kilometres.
    result = qpv.locate(44.62, 2.95)
    assert result.qpv is None and result.distance_m is None
    assert result.text() == "hors QPV : aucun QPV à moins de 5 km"
    assert result.applicant_text() == "Hors QPV : aucun quartier prioritaire à moins de 5 km de votre commerce."


def geodesic_distance_to_boundary(geometry, latitude, longitude):
    """Independent check: the geodesic distance to the boundary densified every ~1 m."""
    dense = shapely.segmentize(geometry.boundary, 0.00001)
    coords = shapely.get_coordinates(dense)
    here = np.full(len(coords), longitude), np.full(len(coords), latitude)
    _, _, distances = GEOD.inv(*here, coords[:, 0], coords[:, 1])
    return float(distances.min())


@pytest.mark.parametrize("offset_m", [12, 35, 350])
def test_a_point_just_outside_a_boundary_gets_its_geodesic_distance(offset_m):
    index = qpv.index()
    geometry = index.geometry("QN07511M")
    # From a vertex on the eastern edge, straight east (away from the perimeter).
    coords = shapely.get_coordinates(geometry)
    lon, lat = coords[np.argmax(coords[:, 0])]
    out_lon, out_lat, _ = GEOD.fwd(lon, lat, 90, offset_m)
    result = qpv.locate(out_lat, out_lon)
    assert not result.inside
    expected = geodesic_distance_to_boundary(index.geometry(result.qpv.code), out_lat, out_lon)
    assert abs(result.distance_m - expected) <= 1.5
    assert result.distance_m <= offset_m + 1
    if offset_m < 100:
        assert result.qpv.code == "QN07511M"
        assert result.text() == f"à {result.distance_m} m du QPV Goutte D'Or (QN07511M)"


def test_just_inside_a_boundary_is_inside():
    geometry = qpv.index().geometry("QN07511M")
    coords = shapely.get_coordinates(geometry)
    lon, lat = coords[np.argmax(coords[:, 0])]
    in_lon, in_lat, _ = GEOD.fwd(lon, lat, 270, 8)
    assert shapely.contains_xy(geometry, in_lon, in_lat)
    assert qpv.locate(in_lat, in_lon).qpv.code == "QN07511M"


def test_a_qpv_over_two_communes_is_listed_for_both():
    europe = qpv.index().by_code["QN00201M"]
    assert europe.communes == ("02571", "02691")
    for commune in europe.communes:
        assert "QN00201M" in [q.code for q in qpv.for_commune(commune).commune_qpvs]
    assert [c["code"] for c in europe.as_dict()["communes"]] == ["02571", "02691"]
    assert qpv.locate(49.86155, 3.29881).qpv.code == "QN00201M"


def test_outre_mer_points_use_their_own_projection():
    # La Réunion (Saint-Louis) and Tahiti: inside, and a distance in metres nearby.
    assert qpv.locate(-21.27435, 55.40273).qpv.code == "QN97401I"
    assert qpv.locate(-17.52045, -149.48707).qpv.code == "QN98725M"
    geometry = qpv.index().geometry("QN97401I")
    coords = shapely.get_coordinates(geometry)
    lon, lat = coords[np.argmin(coords[:, 1])]  # southernmost vertex, then 200 m south
    out_lon, out_lat, _ = GEOD.fwd(lon, lat, 180, 200)
    result = qpv.locate(out_lat, out_lon)
    assert not result.inside
    expected = geodesic_distance_to_boundary(qpv.index().geometry(result.qpv.code), out_lat, out_lon)
    assert abs(result.distance_m - expected) <= 1.5 and result.distance_m <= 201


def test_a_commune_without_qpv():
    result = qpv.for_commune("01001")  # L'Abergement-Clémenciat
    assert result.method == Method.COMMUNE and result.commune_qpvs == ()
    # Said plainly, to the team and to the applicant: no point is needed to know it.
    assert result.text() == "hors QPV : aucun QPV dans la commune"
    assert result.applicant_text().startswith("Hors QPV : votre commune ne compte aucun quartier prioritaire")


def test_an_arrondissement_lists_its_city_qpv():
    result = qpv.for_commune("75118")
    codes = [q.code for q in result.commune_qpvs]
    assert "QN07511M" in codes and len(codes) == 21
    # The team reads why it is to be checked, not the city's 21 names.
    assert result.text() == "à vérifier : adresse non localisée, la commune compte 21 QPV"
    assert "QN" not in result.applicant_text() and "Placez votre commerce sur la carte" in result.applicant_text()


def test_check_prefers_the_point_then_the_commune_then_nothing():
    assert qpv.check(latitude=48.8871, longitude=2.3526, commune_code="75118").commune_code == "75118"
    assert qpv.check(commune_code="75118").method == Method.COMMUNE
    assert qpv.check().method == Method.NONE


def test_a_postal_code_shared_by_several_communes():
    names = [c.name for c in geo.communes_for_postcode("95000")]
    assert names == ["Boisemont", "Cergy", "Neuville-sur-Oise", "Pontoise"]
    cergy = geo.commune("95127")
    assert (cergy.departement, cergy.departement_name, cergy.region, cergy.region_name) == (
        "95",
        "Val-d'Oise",
        "11",
        "Île-de-France",
    )


def test_paris_postal_codes_name_the_arrondissement():
    assert [c.code for c in geo.communes_for_postcode("75018")] == ["75118"]
    assert geo.communes_for_postcode("00000") == []


@pytest.mark.parametrize(
    ("lat", "lon"), [("abc", "2"), ("91", "2"), ("48", "181"), ("nan", "2"), ("inf", "2"), ("", "2")]
)
def test_bad_coordinates_are_refused_in_french(lat, lon):
    with pytest.raises(ValueError, match="latitude"):
        qpv.validate_coordinates(lat, lon)


def test_coordinates_with_a_comma_are_read():
    assert qpv.validate_coordinates("48,8871", " 2.3526") == (48.8871, 2.3526)
