"""The « Adresse » field: commune chosen among those of the postal code (without
JavaScript too), région derived, the QPV check stored with the application."""

import re

import pytest

from calls.models import Application, QpvMethod
from tests.calls.factories import STANDARD_FIELDS, make_call, valid_answers
from tests.territory.stub_server import StubGeocoder

pytestmark = pytest.mark.django_db

ADDRESS_FIELDS = [f for f in STANDARD_FIELDS if f["label"] not in {"Commune", "Région"}]
ADDRESS_FIELDS.insert(5, {"label": "Adresse du commerce", "field_type": "address"})


@pytest.fixture
def address_call(call_index):
    return make_call(call_index, fields=ADDRESS_FIELDS, slug="appel-adresse")


def address(street="12 rue Myrha", postal_code="75018", commune=""):
    return {"adresse_du_commerce_0": street, "adresse_du_commerce_1": postal_code, "adresse_du_commerce_2": commune}


def post(client, call, token, **data):
    payload = {**valid_answers(commune=None, region=None), "qc_jeton": token, **data}
    return client.post(call.url, payload)


def test_the_form_shows_street_postal_code_and_commune_with_labels(client, address_call):
    html = client.get(address_call.url).content.decode()
    assert '<label class="qc-address__label" for="id_adresse_du_commerce_0">Numéro et rue</label>' in html
    assert 'for="id_adresse_du_commerce_1">Code postal</label>' in html
    assert 'for="id_adresse_du_commerce_2">Commune</label>' in html
    assert "Indiquez d&#x27;abord le code postal" in html
    assert "territory/address.js" in html and 'data-communes-url="/api/communes/"' in html
    # address.js keeps the commune required unless the postal code has only one commune.
    assert 'data-map-url="/api/qpv/carte/" data-required>' in html
    # No Région asked: it is derived.
    assert 'name="region"' not in html


def test_a_shared_postal_code_asks_for_the_commune_without_javascript(client, address_call, get_token):
    token = get_token(address_call)
    response = post(client, address_call, token, **address(postal_code="95000"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Plusieurs communes ont le code postal 95000 : choisissez la vôtre dans la liste." in html
    options = re.findall(r'<option value="(\d{5})">([^<]+)</option>', html)
    assert options == [
        ("95074", "Boisemont"),
        ("95127", "Cergy"),
        ("95450", "Neuville-sur-Oise"),
        ("95500", "Pontoise"),
    ]
    assert Application.objects.count() == 0
    # Then the commune is chosen: stored, région derived.
    response = post(client, address_call, token, **address(postal_code="95000", commune="95127"))
    assert response.status_code == 303
    application = Application.objects.get()
    assert (application.town, application.region, application.commune_code) == ("Cergy", "ile-de-france", "95127")
    answer = application.form_data["adresse_du_commerce"]
    assert answer["display"] == "12 rue Myrha, 95000 Cergy"
    assert answer["value"]["departement_name"] == "Val-d'Oise"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (address(street=""), "Indiquez le numéro et la rue."),
        (address(postal_code="750"), "Le code postal compte 5 chiffres"),
        (address(postal_code="00000"), "Aucune commune n&#x27;a le code postal 00000"),
        (address(postal_code="95000", commune="75118"), "Cette commune n&#x27;a pas le code postal 95000"),
        (address(street="", postal_code="", commune=""), "Indiquez l&#x27;adresse du commerce"),
    ],
)
def test_bad_addresses_get_a_french_message_and_store_nothing(client, address_call, get_token, data, message):
    response = post(client, address_call, get_token(address_call), **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Application.objects.count() == 0


def test_without_geocoder_the_commune_qpv_are_stored(client, address_call, get_token, settings):
    settings.GEOCODER_URL = ""
    response = post(client, address_call, get_token(address_call), **address())
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.qpv_method == QpvMethod.COMMUNE
    assert application.commune_code == "75118" and application.town == "Paris 18e Arrondissement"
    assert "QN07511M" in application.qpv_code.split() and application.qpv_distance_m is None
    assert application.latitude is None
    assert application.qpv_text == "à vérifier : adresse non localisée, la commune compte 21 QPV"


def test_with_the_geocoder_the_point_is_checked_and_stored(client, address_call, get_token, settings):
    with StubGeocoder("ok", point=(48.8871, 2.3526)) as stub:
        settings.GEOCODER_URL = stub.url
        response = post(client, address_call, get_token(address_call), **address())
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.qpv_method == QpvMethod.POINT
    assert (application.qpv_code, application.qpv_name, application.qpv_distance_m) == ("QN07511M", "Goutte D'Or", 0)
    assert (application.latitude, application.longitude) == (48.8871, 2.3526)
    assert application.qpv_text == "dans le QPV Goutte D'Or (QN07511M)"
    # The address went to the geocoder, never into a URL of this site or a log.
    assert stub.requests[0]["q"] == ["12 rue Myrha 75018 Paris 18e Arrondissement"]


def test_a_geocoder_timeout_still_stores_the_application_by_commune(client, address_call, get_token, settings):
    # The stub never answers while the application is stored: only GEOCODER_TIMEOUT ends the wait.
    with StubGeocoder("hung") as stub:
        settings.GEOCODER_URL = stub.url
        settings.GEOCODER_TIMEOUT = 0.3
        response = post(client, address_call, get_token(address_call), **address(postal_code="01400", commune="01001"))
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.qpv_method == QpvMethod.COMMUNE and application.qpv_code == ""
    assert application.qpv_text == "hors QPV : aucun QPV dans la commune"
    assert application.region == "auvergne-rhone-alpes"


def test_a_call_with_a_region_field_still_works(client, call, get_token):
    response = client.post(call.url, {**valid_answers(), "qc_jeton": get_token(call)})
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.region == "ile-de-france" and application.town == "Aubervilliers"
    assert application.qpv_method == "" and application.qpv_text == ""


def placed(latitude, longitude):
    return {"adresse_du_commerce_3": str(latitude), "adresse_du_commerce_4": str(longitude)}


def test_without_geocoder_the_point_placed_on_the_map_is_checked(client, address_call, get_token, settings):
    settings.GEOCODER_URL = ""
    html = client.get(address_call.url).content.decode()
    assert 'data-map-url="/api/qpv/carte/"' in html
    assert 'type="hidden" name="adresse_du_commerce_3"' in html and "data-qpv-map hidden" in html
    response = post(client, address_call, get_token(address_call), **address(), **placed(48.8871, 2.3526))
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.qpv_method == QpvMethod.MAP
    assert (application.qpv_code, application.qpv_distance_m) == ("QN07511M", 0)
    assert (application.latitude, application.longitude) == (48.8871, 2.3526)
    assert application.qpv_text == "dans le QPV Goutte D'Or (QN07511M) (point placé par le candidat sur la carte)"
    answer = next(a for a in application.form_data.values() if a.get("type") == "address")
    assert answer["value"]["latitude"] == 48.8871


def test_a_point_outside_the_commune_map_is_refused(client, address_call, get_token, settings):
    settings.GEOCODER_URL = ""
    token = get_token(address_call)
    for point in (placed(43.2965, 5.3698), placed("nord", "sud")):  # Marseille, not Paris 18e
        response = post(client, address_call, token, **address(), **point)
        assert response.status_code == 200
        assert "Le point placé sur la carte n&#x27;est pas sur la carte de cette commune" in response.content.decode()
    assert Application.objects.count() == 0


def test_the_geocoded_address_comes_before_the_placed_point(client, address_call, get_token, settings):
    with StubGeocoder("ok", point=(48.8871, 2.3526)) as stub:
        settings.GEOCODER_URL = stub.url
        response = post(client, address_call, get_token(address_call), **address(), **placed(48.8556, 2.3))
    assert response.status_code == 303
    application = Application.objects.get()
    assert application.qpv_method == QpvMethod.POINT and application.qpv_distance_m == 0


def test_a_postal_code_with_one_commune_gives_a_valid_select(client, address_call, get_token):
    """A required select must start with an empty option (HTML): with the only commune
    chosen, the select is not marked required."""
    token = get_token(address_call)
    response = post(client, address_call, token, **address(street="", postal_code="93300"))
    html = response.content.decode()
    select = re.search(r'<select name="adresse_du_commerce_2"[^>]*>', html).group(0)
    assert "required" not in select
    assert re.search(r'<option value="93001"[^>]*>Aubervilliers</option>', html)
