"""An address to a point, with the national address API (BAN) when ``GEOCODER_URL`` is set.

``GET {GEOCODER_URL}?q=<street postcode commune>&citycode=<INSEE>&limit=1`` answers a
GeoJSON FeatureCollection (https://adresse.data.gouv.fr/outils/api-doc/adresse). Only an
answer at the address or the street, with a score of at least ``MIN_SCORE``, in the
commune asked, is taken; anything else (no URL, a timeout, an error, a poor match) returns
None and the caller falls back on the commune. Answers are cached (keys are hashes: an
address never appears in a cache key, a log line or a URL of this site).
"""

import hashlib
import logging

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

MIN_SCORE = 0.5
PRECISE_TYPES = {"housenumber", "street", "locality"}
_MISS = "miss"


def _cache_key(query, citycode):
    digest = hashlib.sha256(f"{query}\n{citycode}".encode()).hexdigest()
    return f"territory:geocode:{digest}"


def geocode(street, postal_code, commune_name, citycode=""):
    """``(latitude, longitude)`` of the address, or None (no geocoder, no precise answer)."""
    url = settings.GEOCODER_URL
    query = " ".join(part.strip() for part in (street, postal_code, commune_name) if part and part.strip())
    if not url or not street or not street.strip():
        return None
    key = _cache_key(query, citycode)
    try:
        cached = cache.get(key)
    except Exception:  # the cache down costs the cache only
        cached = None
    if cached is not None:
        return None if cached == _MISS else tuple(cached)
    params = {"q": query[:200], "limit": 1}
    if citycode:
        params["citycode"] = citycode
    try:
        response = requests.get(url, params=params, timeout=settings.GEOCODER_TIMEOUT)
        response.raise_for_status()
        features = response.json().get("features") or []
    except (requests.RequestException, ValueError) as exc:
        # Not cached: the next application tries again. The address is never logged.
        logger.warning("Geocoder unavailable (%s); the commune is used instead", type(exc).__name__)
        return None
    point = _point(features, citycode)
    try:
        cache.set(key, point or _MISS, settings.GEOCODER_CACHE_SECONDS)
    except Exception:
        logger.warning("Could not cache a geocoder answer", exc_info=True)
    return point


def _point(features, citycode):
    if not features:
        return None
    feature = features[0]
    properties = feature.get("properties") or {}
    if properties.get("type") not in PRECISE_TYPES or float(properties.get("score") or 0) < MIN_SCORE:
        return None
    if citycode and properties.get("citycode") and properties["citycode"] != citycode:
        # Paris, Lyon, Marseille: BAN answers the arrondissement of the commune asked.
        if not (citycode[:2] == properties["citycode"][:2] and citycode in {"75056", "69123", "13055"}):
            return None
    try:
        longitude, latitude = (float(v) for v in feature["geometry"]["coordinates"][:2])
    except (KeyError, TypeError, ValueError):
        return None
    return latitude, longitude


def commune_centre(commune_name, citycode):
    """The commune's centre as the geocoder knows it, or None (no geocoder)."""
    url = settings.GEOCODER_URL
    if not url or not citycode:
        return None
    key = _cache_key(f"commune:{commune_name}", citycode)
    try:
        cached = cache.get(key)
    except Exception:  # the cache down costs the cache only
        cached = None
    if cached is not None:
        return None if cached == _MISS else tuple(cached)
    try:
        response = requests.get(
            url,
            params={"q": commune_name[:100], "citycode": citycode, "type": "municipality", "limit": 1},
            timeout=settings.GEOCODER_TIMEOUT,
        )
        response.raise_for_status()
        features = response.json().get("features") or []
        longitude, latitude = (float(v) for v in features[0]["geometry"]["coordinates"][:2])
    except (requests.RequestException, ValueError, KeyError, IndexError, TypeError) as exc:
        logger.warning("Geocoder gave no commune centre (%s)", type(exc).__name__)
        return None
    try:
        cache.set(key, (latitude, longitude), settings.GEOCODER_CACHE_SECONDS)
    except Exception:
        logger.warning("Could not cache a geocoder answer", exc_info=True)
    return latitude, longitude
