"""The story editor's « Carte et QPV » panel: a mini-map of the coordinates, the QPV they
are in or near, the application's check, a warning past the call's distance, and the
« trouver depuis l'adresse » button (territory/static/territory/story-locate.js).

The panel reads the page's fields by name (latitude, longitude, commune_code,
qpv_max_distance_m, qpv_code, qpv_name, qpv_distance_m): territory never imports stories.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel

from . import minimap, qpv

DEFAULT_MAX_DISTANCE_M = 500


def story_territory(instance):
    """What the panel shows for a page with coordinates and QPV fields."""
    latitude, longitude = getattr(instance, "latitude", None), getattr(instance, "longitude", None)
    max_distance = getattr(instance, "qpv_max_distance_m", None)
    if max_distance is None:
        max_distance = DEFAULT_MAX_DISTANCE_M
    context = {"has_point": latitude is not None and longitude is not None, "warning": ""}
    if context["has_point"]:
        result = qpv.locate(float(latitude), float(longitude))
        context["result_text"] = result.text()
        context["map"] = minimap.render(float(latitude), float(longitude), result)
        if not result.inside and (result.qpv is None or result.distance_m > max_distance):
            context["warning"] = _(
                "Ce commerce n'est dans aucun QPV et en est plus loin que la distance maximale de l'appel "
                "(%(max)s m) : vérifiez les coordonnées ou l'éligibilité."
            ) % {"max": max_distance}
    elif getattr(instance, "commune_code", ""):
        result = qpv.for_commune(instance.commune_code)
        context["result_text"] = result.text()
        if result.commune_qpvs:
            # The editor places the business: the commune's QPV by name help to find it.
            names = ", ".join(f"{q.name} ({q.code})" for q in result.commune_qpvs)
            context["result_text"] = _("%(verdict)s : %(names)s") % {"verdict": result.text(), "names": names}
    code = getattr(instance, "qpv_code", "")
    if code:
        distance = getattr(instance, "qpv_distance_m", None)
        if distance == 0:
            context["application_text"] = _("dans le QPV %(name)s (%(code)s)") % {
                "name": instance.qpv_name,
                "code": code,
            }
        elif distance is not None:
            context["application_text"] = _("à %(distance)s du QPV %(name)s (%(code)s)") % {
                "distance": qpv.format_distance(distance),
                "name": instance.qpv_name,
                "code": code,
            }
        else:
            context["application_text"] = _("commune seule : %(names)s") % {"names": instance.qpv_name}
    context["locate_url"] = reverse("territory_admin:locate")
    context["geocoder"] = bool(settings.GEOCODER_URL)
    return context


class TerritoryPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Carte et QPV"))
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "territory/panels/territory_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(story_territory(self.instance))
            return context
