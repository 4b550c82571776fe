"""A session's place: the address checked like the call's « Adresse » answer, stored with the
same columns as an application, and its QPV verdict in words for the public.

The check is the call's: ``territory.forms.AddressField`` (street, postal code, the commune among
those of the postal code, an optional point on the commune's map) then
``calls.qpv_check.columns`` (the BAN geocoder when ``GEOCODER_URL`` is set, then the QPV
lookup of ``territory.qpv``).
"""

from django.utils.translation import gettext as _

from calls import qpv_check
from territory.qpv import POINT_METHODS, Method, format_distance

# The SessionPage columns the address and its check fill.
PLACE_FIELDS = (
    "street",
    "postal_code",
    "commune_code",
    "town",
    "region",
    "latitude",
    "longitude",
    "qpv_method",
    "qpv_code",
    "qpv_name",
    "qpv_distance_m",
)


def columns(address):
    """The SessionPage fields for ``address`` (a ``territory.forms.Address``), QPV check included;
    all empty for None."""
    if address is None:
        return {name: None if name in ("latitude", "longitude", "qpv_distance_m") else "" for name in PLACE_FIELDS}
    check = qpv_check.columns(address)
    return {
        "street": address.street,
        "postal_code": address.postal_code,
        "commune_code": address.commune_code,
        "town": address.commune_name,
        "region": qpv_check.region_of(address),
        # The point placed on the map is the editor's; a geocoded point is the check's.
        "latitude": check.get("latitude", address.latitude),
        "longitude": check.get("longitude", address.longitude),
        "qpv_method": check.get("qpv_method", ""),
        "qpv_code": check.get("qpv_code", ""),
        "qpv_name": check.get("qpv_name", ""),
        "qpv_distance_m": check.get("qpv_distance_m"),
    }


def initial(session):
    """The address field's initial value from the stored columns."""
    if not (session.street or session.postal_code or session.commune_code):
        return None
    return {
        "street": session.street,
        "postal_code": session.postal_code,
        "commune_code": session.commune_code,
        "latitude": session.latitude if session.qpv_method == Method.MAP else None,
        "longitude": session.longitude if session.qpv_method == Method.MAP else None,
    }


def qpv_words(session):
    """The verdict for a visitor: « Dans le quartier prioritaire « Cité Rouge » », « À 350 m du
    quartier prioritaire … », « Hors quartier prioritaire », « La commune compte 3 quartiers
    prioritaires »; "" when nothing was checked."""
    method = session.qpv_method
    if method in POINT_METHODS:
        if not session.qpv_code:
            return _("Hors quartier prioritaire de la politique de la ville.")
        if session.qpv_distance_m == 0:
            return _("Dans le quartier prioritaire « %(name)s ».") % {"name": session.qpv_name}
        return _("À %(distance)s du quartier prioritaire « %(name)s ».") % {
            "distance": format_distance(session.qpv_distance_m or 0),
            "name": session.qpv_name,
        }
    if method == Method.COMMUNE:
        count = len(session.qpv_code.split())
        if not count:
            return _("La commune ne compte aucun quartier prioritaire de la politique de la ville.")
        if count == 1:
            return _("La commune compte un quartier prioritaire de la politique de la ville.")
        return _("La commune compte %(n)s quartiers prioritaires de la politique de la ville.") % {"n": count}
    return ""


def in_qpv(session):
    """True when the place is inside a QPV (the check found it there)."""
    return session.qpv_method in POINT_METHODS and bool(session.qpv_code) and session.qpv_distance_m == 0
