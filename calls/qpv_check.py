"""The QPV check of an application's « Adresse » answer, stored on the Application.

``columns(address)`` runs before the application's transaction (the geocoder may take up
to ``GEOCODER_TIMEOUT``; no transaction waits on the network), and returns the fields the
Application row is created with, in that one transaction: the commune's INSEE code, how
the check was made (``point`` when the address was geocoded, ``carte`` when the applicant
placed their business on the commune's map (``territory/picker.py``), ``commune`` when only
the commune is known, ``none``), the QPV code and name, the distance in metres, the point.
The geocoded point comes first when there is one: it is the address itself.

The wording of the verdict is ``territory.qpv.team_text`` (one place for the live check and
the stored columns): « dans le QPV … », « à 350 m du QPV … », « hors QPV : … » or
« à vérifier : … ».
"""

import logging

from django.utils.translation import gettext as _

from stories.taxonomy import REGION_INSEE_CODES
from territory import geocoder, qpv
from territory.qpv import POINT_METHODS, Method, format_distance

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
    placed = False
    if not point and address.latitude is not None and address.longitude is not None:
        point, placed = (address.latitude, address.longitude), True
    try:
        if point:
            result = qpv.check(latitude=point[0], longitude=point[1], commune_code=address.commune_code, placed=placed)
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
    """The stored check as text: « dans le QPV Goutte D'Or (QN07511M) », « à 350 m du QPV … »,
    « hors QPV : aucun QPV dans la commune », « à vérifier : adresse non localisée, … »."""
    method = application.qpv_method
    if not method:
        return ""
    text = qpv.team_text(
        method,
        code=application.qpv_code if method in POINT_METHODS else "",
        name=application.qpv_name,
        distance_m=application.qpv_distance_m,
        count=len(application.qpv_code.split()),
    )
    if method == Method.MAP:
        text = _("%(verdict)s (point placé par le candidat sur la carte)") % {"verdict": text}
    return text


def band(application):
    """« en QPV », « à moins de 500 m », « au-delà », or "" when not located by its address."""
    if application.qpv_method not in POINT_METHODS:
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
    located = queryset.filter(qpv_method__in=POINT_METHODS)
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
    """``(title, detail)`` for a list's column, or None when nothing was checked: the verdict
    in one short line (« en QPV », « à 350 m », « hors QPV », « à vérifier ») and what it is
    about (the QPV's name, or why it is to be checked), never the commune's list of QPV."""
    method = application.qpv_method
    if method in POINT_METHODS:
        placed = _("placé sur la carte") if method == Method.MAP else ""
        if not application.qpv_code:
            return _("hors QPV"), placed or _("aucun QPV proche")
        name = f"{application.qpv_name} ({application.qpv_code})"
        if application.qpv_distance_m == 0:
            return _("en QPV"), ", ".join(filter(None, [name, placed]))
        distance = format_distance(application.qpv_distance_m or 0)
        return _("à %(distance)s") % {"distance": distance}, ", ".join(filter(None, [name, placed]))
    if method == Method.COMMUNE:
        count = len(application.qpv_code.split())
        if not count:
            return _("hors QPV"), _("commune sans QPV")
        return _("à vérifier"), _("adresse non localisée")
    if method == Method.NONE:
        return _("à vérifier"), _("non vérifié")
    return None
