"""The QPV check of an application's « Adresse » answer, stored on the Application.

``columns(address)`` runs before the application's transaction (the geocoder may take up
to ``GEOCODER_TIMEOUT``; no transaction waits on the network), and returns the fields the
Application row is created with, in that one transaction: the commune's INSEE code, how
the check was made (``point`` when the address was geocoded, ``commune`` when only the
commune is known, ``none``), the QPV code and name, the distance in metres, the point.
"""

import logging

from django.conf import settings
from django.utils.translation import gettext as _

from stories.taxonomy import REGION_INSEE_CODES
from territory import geocoder, qpv
from territory.qpv import Method, format_distance

logger = logging.getLogger(__name__)

REGION_BY_INSEE_CODE = {code: region for region, code in REGION_INSEE_CODES.items()}

# Filters of the queue and the story admin's warning: « à moins de 500 m ».
NEAR_DISTANCE_M = 500


def region_of(address):
    """The Region slug of the address's région ("" for a collectivity without one here)."""
    region = REGION_BY_INSEE_CODE.get(address.region)
    return region.value if region else ""


def columns(address):
    """The Application fields of the QPV check of ``address`` (an ``territory.forms.Address``)."""
    if address is None:
        return {}
    point = None
    try:
        point = geocoder.geocode(address.street, address.postal_code, address.commune_name, address.commune_code)
    except Exception:  # the check must never cost an application
        logger.exception("Geocoding failed; the commune is used instead")
    try:
        if point:
            result = qpv.check(latitude=point[0], longitude=point[1], commune_code=address.commune_code)
        else:
            result = qpv.check(commune_code=address.commune_code)
    except Exception:
        logger.exception("QPV check failed; the application is stored without it")
        return {"commune_code": address.commune_code, "qpv_method": Method.NONE}
    return {
        "commune_code": address.commune_code,
        "qpv_method": result.method,
        "qpv_code": result.code[:200],
        "qpv_name": result.name[:500],
        "qpv_distance_m": result.distance_m,
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
    }


def describe(application):
    """The stored check as text: « dans le QPV Goutte d'Or (QN07511M) », « à 350 m du QPV … »."""
    method = application.qpv_method
    if method == Method.POINT:
        if not application.qpv_code:
            km = max(1, round(settings.TERRITORY_QPV_SEARCH_RADIUS / 1000))
            return _("aucun QPV à moins de %(n)s km") % {"n": km}
        names = {"name": application.qpv_name, "code": application.qpv_code}
        if application.qpv_distance_m == 0:
            return _("dans le QPV %(name)s (%(code)s)") % names
        return _("à %(distance)s du QPV %(name)s (%(code)s)") % {
            "distance": format_distance(application.qpv_distance_m or 0),
            **names,
        }
    if method == Method.COMMUNE:
        if not application.qpv_code:
            return _("aucun QPV dans la commune (adresse non localisée)")
        count = len(application.qpv_code.split())
        return _("adresse non localisée ; QPV de la commune (%(n)s) : %(names)s") % {
            "n": count,
            "names": application.qpv_name.replace(" ; ", ", "),
        }
    if method == Method.NONE:
        return _("QPV non vérifié")
    return ""


def band(application):
    """« en QPV », « à moins de 500 m », « au-delà », or "" when not located by its address."""
    if application.qpv_method != Method.POINT:
        return ""
    if application.qpv_distance_m == 0:
        return "in"
    if application.qpv_distance_m is not None and application.qpv_distance_m <= NEAR_DISTANCE_M:
        return "near"
    return "beyond"


def filter_band(queryset, value):
    """Applications « en QPV » (``in``), « à moins de 500 m » (``near``), « au-delà »
    (``beyond``: farther, or none within the search radius), or located by their commune
    only (``commune``). Any other value filters nothing."""
    located = queryset.filter(qpv_method=Method.POINT)
    if value == "in":
        return located.filter(qpv_distance_m=0)
    if value == "near":
        return located.filter(qpv_distance_m__gt=0, qpv_distance_m__lte=NEAR_DISTANCE_M)
    if value == "beyond":
        return located.exclude(qpv_distance_m__lte=NEAR_DISTANCE_M)
    if value == "commune":
        return queryset.filter(qpv_method=Method.COMMUNE)
    return queryset


def short_text(application):
    """``(title, detail)`` for a list's column, or None when nothing was checked."""
    method = application.qpv_method
    if method == Method.POINT:
        names = f"{application.qpv_name} ({application.qpv_code})" if application.qpv_code else ""
        if not application.qpv_code:
            return describe(application), ""
        if application.qpv_distance_m == 0:
            return _("en QPV"), names
        return _("à %(distance)s") % {"distance": format_distance(application.qpv_distance_m or 0)}, names
    if method == Method.COMMUNE:
        count = len(application.qpv_code.split())
        if not count:
            return _("commune sans QPV"), _("adresse non localisée")
        return _("commune : %(n)s QPV") % {"n": count}, _("adresse non localisée")
    if method == Method.NONE:
        return _("non vérifié"), ""
    return None
