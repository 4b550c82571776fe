"""The territory's JSON endpoints, for the call form's live check and suggestions.

- ``GET /api/qpv/?lat=…&lon=…``: the QPV containing the point, or the nearest one and its
  distance in metres; ``?commune=<INSEE>``: the commune's QPV.
- ``GET /api/communes/?code_postal=…``: the communes a postal code serves.
- ``GET /api/qpv/carte/?commune=<INSEE>``: the commune's map for placing a business
  (``territory/picker.py``): its frame, the SVG of the QPV perimeters in it, and the
  verdict when the commune has no QPV (then no map: « hors QPV »).

Rate-limited per client address (``TERRITORY_API_RATE_LIMIT`` per
``TERRITORY_API_RATE_WINDOW`` seconds, ``home.ratelimit``, 429 with ``Retry-After``); bad input gets a 400
with a French message. Nothing here is personal data: a point or a code.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from home import ratelimit

from . import geo, picker, qpv


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["X-Robots-Tag"] = "noindex"
    return response


def _error(message, status=400):
    return _json({"erreur": str(message)}, status=status)


def _refused(request, scope):
    retry_after = ratelimit.over(
        request,
        f"territory:rate:{scope}",
        limit=settings.TERRITORY_API_RATE_LIMIT,
        seconds=settings.TERRITORY_API_RATE_WINDOW,
        what=f"Rate limit of {scope} not applied",
    )
    if retry_after is None:
        return None
    response = _error(_("Trop de demandes : réessayez dans quelques instants."), status=429)
    response["Retry-After"] = str(retry_after)
    return response


@require_GET
def qpv_lookup(request):
    refused = _refused(request, "qpv")
    if refused:
        return refused
    lat, lon, commune_code = (request.GET.get(name, "").strip() for name in ("lat", "lon", "commune"))
    if lat or lon:
        if not (lat and lon):
            return _error(_("Indiquez la latitude (lat) et la longitude (lon) ensemble."))
        try:
            latitude, longitude = qpv.validate_coordinates(lat, lon)
        except ValueError as exc:
            return _error(exc)
        result = qpv.locate(latitude, longitude)
        return _json(result.as_dict())
    if commune_code:
        if not geo.is_insee_code(commune_code) or geo.commune(commune_code) is None:
            return _error(_("Code commune INSEE inconnu : 5 caractères, par exemple 75056 pour Paris."))
        result = qpv.for_commune(commune_code)
        return _json(result.as_dict())
    return _error(_("Indiquez lat et lon, ou commune (code INSEE)."))


@require_GET
def communes(request):
    refused = _refused(request, "communes")
    if refused:
        return refused
    postal_code = request.GET.get("code_postal", "").strip()
    if not geo.is_postcode(postal_code):
        return _error(_("Le code postal compte 5 chiffres, par exemple 75018."))
    items = [
        {**c.as_dict(), "departement_nom": c.departement_name, "region_nom": c.region_name}
        for c in geo.communes_for_postcode(postal_code)
    ]
    response = _json({"code_postal": postal_code, "communes": items})
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def commune_map(request):
    refused = _refused(request, "qpv")
    if refused:
        return refused
    commune_code = request.GET.get("commune", "").strip()
    if not geo.is_insee_code(commune_code) or geo.commune(commune_code) is None:
        return _error(_("Code commune INSEE inconnu : 5 caractères, par exemple 75056 pour Paris."))
    result = qpv.for_commune(commune_code)
    found = picker.frame(commune_code)
    data = {"commune": commune_code, "texte_candidat": result.applicant_text(), "carte": None}
    if found is not None:
        data["carte"] = {**found.as_dict(), "svg": str(picker.render(commune_code))}
    response = _json(data)
    response["Cache-Control"] = "public, max-age=86400"
    return response
