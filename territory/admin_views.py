"""The story editor's « trouver depuis l'adresse »: GET /admin/territoire/localiser/.

Admin only (Wagtail's admin URLs require an admin login). Uses the geocoder when
``GEOCODER_URL`` is set: the address first, the commune's centre otherwise.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import geo, geocoder, qpv


@require_GET
def locate(request):
    street = request.GET.get("adresse", "").strip()[:255]
    town = request.GET.get("commune", "").strip()[:120]
    commune_code = request.GET.get("code_commune", "").strip()
    commune = geo.commune(commune_code) if commune_code else None
    if commune_code and commune is None:
        return JsonResponse({"erreur": _("Code INSEE de commune inconnu.")}, status=400)
    if commune is not None and not town:
        town = commune.name
    if not (street or town):
        return JsonResponse({"erreur": _("Indiquez l'adresse ou la commune du commerce.")}, status=400)
    point, how = None, ""
    if street:
        point = geocoder.geocode(street, "", town, commune_code)
        how = _("à l'adresse")
    if point is None and (commune_code or town):
        point = geocoder.commune_centre(town, commune_code) if commune_code else None
        how = _("au centre de la commune")
    if point is None:
        return JsonResponse(
            {"erreur": _("Position introuvable (géocodeur absent ou sans réponse) : saisissez les coordonnées.")},
            status=404,
        )
    result = qpv.locate(*point)
    return JsonResponse(
        {
            "latitude": round(point[0], 6),
            "longitude": round(point[1], 6),
            "texte": _("Position trouvée %(how)s : %(result)s. Enregistrez pour voir la carte.")
            % {"how": how, "result": result.text()},
        }
    )
