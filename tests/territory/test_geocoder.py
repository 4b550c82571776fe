"""The BAN geocoder against a stub server on loopback: an answer, an error, a timeout,
a poor match; the commune-level answer whenever it fails; no network without GEOCODER_URL."""

import pytest

from territory import geocoder

from .stub_server import StubGeocoder


def test_without_url_nothing_is_asked(settings):
    settings.GEOCODER_URL = ""
    assert geocoder.geocode("10 rue Myrha", "75018", "Paris", "75118") is None


def test_an_address_found_at_the_house_number(settings):
    with StubGeocoder("ok", point=(48.8871, 2.3526)) as stub:
        settings.GEOCODER_URL = stub.url
        assert geocoder.geocode("10 rue Myrha", "75018", "Paris", "75118") == (48.8871, 2.3526)
        assert stub.requests[0]["q"] == ["10 rue Myrha 75018 Paris"]
        assert stub.requests[0]["citycode"] == ["75118"]
        # Cached: a second lookup asks nothing.
        assert geocoder.geocode("10 rue Myrha", "75018", "Paris", "75118") == (48.8871, 2.3526)
        assert len(stub.requests) == 1


def test_a_server_error_falls_back_on_the_commune(settings):
    with StubGeocoder("error") as stub:
        settings.GEOCODER_URL = stub.url
        assert geocoder.geocode("10 rue Myrha", "75018", "Paris", "75118") is None
        # A failure is not cached: the next application asks again.
        assert geocoder.geocode("10 rue Myrha", "75018", "Paris", "75118") is None
        assert len(stub.requests) == 2


def test_a_timeout_falls_back(settings):
    # The stub never answers while the lookup runs: only GEOCODER_TIMEOUT can end the wait.
    with StubGeocoder("hung") as stub:
        settings.GEOCODER_URL = stub.url
        settings.GEOCODER_TIMEOUT = 0.3
        assert geocoder.geocode("10 rue Myrha", "75018", "Paris", "75118") is None
        assert len(stub.requests) == 1


@pytest.mark.parametrize("mode", ["garbage", "municipality"])
def test_no_precise_answer_falls_back(settings, mode):
    with StubGeocoder(mode) as stub:
        settings.GEOCODER_URL = stub.url
        assert geocoder.geocode("10 rue Myrha", "75018", "Paris", "75118") is None


def test_an_answer_in_another_commune_is_refused(settings):
    with StubGeocoder("ok", citycode="93066") as stub:
        settings.GEOCODER_URL = stub.url
        assert geocoder.geocode("10 rue Myrha", "95000", "Cergy", "95127") is None


def test_the_commune_centre(settings):
    with StubGeocoder("municipality", point=(49.036, 2.063), citycode="95127") as stub:
        settings.GEOCODER_URL = stub.url
        assert geocoder.commune_centre("Cergy", "95127") == (49.036, 2.063)
        assert stub.requests[0]["type"] == ["municipality"]
    settings.GEOCODER_URL = ""
    assert geocoder.commune_centre("Cergy", "95127") is None
