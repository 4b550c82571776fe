"""Is a place in, or near, a « quartier prioritaire de la politique de la ville » (QPV)?

The 1 584 perimeters of 2024 (``territory/data/qpv2024.json.gz``) are loaded once per
process, on the first lookup, into a shapely STRtree (about 230 000 vertices, a few MB).

- **Inside**: point-in-polygon in longitude/latitude (exact: the perimeters are given in
  WGS84 and a containment test needs no metric).
- **Distance**: the tree first gives the perimeters whose bounding box meets a box around
  the point that is certainly larger than the search radius; each of them is projected
  with an azimuthal equidistant projection *centred on the point* (PROJ ``aeqd`` on the
  WGS84 ellipsoid), in which the distance from the centre to any vertex is the geodesic
  distance, and the distance to the projected perimeter is taken in metres. A projection
  per point works the same in métropole and outre-mer (Lambert-93 would be wrong in La
  Réunion or Polynesia), and its distortion within the search radius (a few km) is far
  below the 11 m of the source's rounding.
"""

import dataclasses
import functools
import gzip
import json
import math
import threading
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pyproj import Proj

from . import geo
from .importer import QPV_FILE, SCALE


@dataclass(frozen=True)
class Qpv:
    code: str
    name: str
    communes: tuple
    departement: str
    region: str

    @property
    def label(self):
        return _("QPV %(name)s (%(code)s)") % {"name": self.name, "code": self.code}

    def as_dict(self):
        return {
            "code": self.code,
            "nom": self.name,
            "communes": [{"code": code, "nom": _commune_name(code)} for code in self.communes],
            "departement": self.departement,
            "region": self.region,
        }


def _commune_name(code):
    commune = geo.commune(code)
    return commune.name if commune else ""


class Method:
    """How a result was found: from a point (the geocoded address, or the point the applicant
    placed on the commune's map: ``MAP``), from the commune only, or not at all."""

    POINT = "point"
    MAP = "carte"
    COMMUNE = "commune"
    NONE = "none"


POINT_METHODS = (Method.POINT, Method.MAP)


def team_text(method, *, code="", name="", distance_m=None, count=0, radius_m=None):
    """The verdict as the programme's team reads it, from the check's parts (a live result
    or the columns stored on an application): « dans le QPV Goutte D'Or (QN07511M) »,
    « à 350 m du QPV … », « hors QPV : … », « à vérifier : … »."""
    if method in POINT_METHODS:
        if not code:
            radius = format_distance(radius_m or settings.TERRITORY_QPV_SEARCH_RADIUS)
            return _("hors QPV : aucun QPV à moins de %(distance)s") % {"distance": radius}
        if distance_m == 0:
            return _("dans le QPV %(name)s (%(code)s)") % {"name": name, "code": code}
        return _("à %(distance)s du QPV %(name)s (%(code)s)") % {
            "distance": format_distance(distance_m or 0),
            "name": name,
            "code": code,
        }
    if method == Method.COMMUNE:
        if not count:
            return _("hors QPV : aucun QPV dans la commune")
        return ngettext(
            "à vérifier : adresse non localisée, la commune compte %(n)s QPV",
            "à vérifier : adresse non localisée, la commune compte %(n)s QPV",
            count,
        ) % {"n": count}
    return _("à vérifier : QPV non vérifié (ni adresse ni commune)")


def applicant_text(method, *, name="", distance_m=None, count=0, radius_m=None):
    """The verdict in words for the applicant: no code, no jargon but « QPV » explained."""
    if method in POINT_METHODS:
        if not name:
            radius = format_distance(radius_m or settings.TERRITORY_QPV_SEARCH_RADIUS)
            return _("Hors QPV : aucun quartier prioritaire à moins de %(distance)s de votre commerce.") % {
                "distance": radius
            }
        if distance_m == 0:
            return _("Dans un QPV : votre commerce est dans le quartier prioritaire « %(name)s ».") % {"name": name}
        return _("Hors QPV : votre commerce est à %(distance)s du quartier prioritaire « %(name)s ».") % {
            "distance": format_distance(distance_m or 0),
            "name": name,
        }
    if method == Method.COMMUNE:
        if not count:
            return _("Hors QPV : votre commune ne compte aucun quartier prioritaire de la politique de la ville.")
        return ngettext(
            "À vérifier : votre commune compte un quartier prioritaire. Placez votre commerce sur la carte "
            "pour savoir s'il est dedans ou à côté.",
            "À vérifier : votre commune compte %(n)s quartiers prioritaires. Placez votre commerce sur la "
            "carte pour savoir s'il est dans l'un d'eux ou à côté.",
            count,
        ) % {"n": count}
    return _("À vérifier : l'équipe du programme vérifiera si votre commerce est en quartier prioritaire.")


@dataclass(frozen=True)
class QpvResult:
    method: str
    # The QPV the point is in, or the nearest one within the search radius.
    qpv: Qpv | None = None
    distance_m: int | None = None
    # Without coordinates: the commune's QPV.
    commune_qpvs: tuple = ()
    commune_code: str = ""
    search_radius_m: int = 0
    latitude: float | None = None
    longitude: float | None = None

    @property
    def inside(self):
        return self.method in POINT_METHODS and self.qpv is not None and self.distance_m == 0

    @property
    def code(self):
        if self.qpv:
            return self.qpv.code
        return " ".join(q.code for q in self.commune_qpvs)

    @property
    def name(self):
        if self.qpv:
            return self.qpv.name
        return " ; ".join(q.name for q in self.commune_qpvs)

    def _parts(self):
        if self.method in POINT_METHODS:
            return {"distance_m": self.distance_m, "radius_m": self.search_radius_m}
        return {"count": len(self.commune_qpvs)}

    def text(self):
        """What the team reads: « dans le QPV Goutte D'Or (QN07511M) », « à 350 m du QPV … »."""
        code = self.qpv.code if self.qpv else ""
        name = self.qpv.name if self.qpv else ""
        return team_text(self.method, code=code, name=name, **self._parts())

    def applicant_text(self):
        """What the applicant reads: the same verdict in words, without codes."""
        return applicant_text(self.method, name=self.qpv.name if self.qpv else "", **self._parts())

    def as_dict(self):
        data = {
            "methode": self.method,
            "texte": self.text(),
            "texte_candidat": self.applicant_text(),
            "dans_un_qpv": self.inside,
            "distance_m": self.distance_m,
            "qpv": self.qpv.as_dict() if self.qpv else None,
            "commune": self.commune_code or None,
        }
        if self.method == Method.COMMUNE:
            data["qpv_de_la_commune"] = [q.as_dict() for q in self.commune_qpvs]
        if self.method in POINT_METHODS:
            data["rayon_de_recherche_m"] = self.search_radius_m
        return data


def format_distance(metres):
    """« 350 m », « 1,2 km », « 5 km »: Django's number formatting of the active language."""
    if metres < 1000:
        return _("%(n)s m") % {"n": number_format(int(metres), force_grouping=True)}
    tenths = round(metres / 100)
    km = number_format(tenths // 10, force_grouping=True) if tenths % 10 == 0 else number_format(tenths / 10, 1)
    return _("%(n)s km") % {"n": km}


# --- The index -----------------------------------------------------------------------------

# Lower bounds of the length of a degree (the WGS84 ellipsoid gives more): a box built with
# them is larger than the search radius in every direction.
METRES_PER_DEGREE_LAT_MIN = 110_500
METRES_PER_DEGREE_LON_AT_EQUATOR_MIN = 111_000


# The projection is centred on the point rounded to 0.1° (under 8 km away): building one
# costs more than a lookup, and the scale error of an azimuthal equidistant projection at
# ρ from its centre is about ρ²/6R², under 1e-6 within 15 km: millimetres at the search radius.
PROJECTION_GRID = 0.1


@functools.lru_cache(maxsize=512)
def _grid_projector(latitude, longitude):
    return Proj(proj="aeqd", lat_0=latitude, lon_0=longitude, ellps="WGS84", units="m")


def _projector(latitude, longitude):
    step = PROJECTION_GRID
    return _grid_projector(round(latitude / step) * step, round(longitude / step) * step)


class QpvIndex:
    def __init__(self, rows):
        self.qpvs = []
        geometries = []
        for code, name, communes, departement, region, polygons in rows:
            self.qpvs.append(Qpv(code, name, tuple(c for c in communes.split("|") if c), departement, region))
            parts = []
            for polygon in polygons:
                rings = [_decode(ring) for ring in polygon]
                parts.append(shapely.Polygon(rings[0], rings[1:]))
            geometries.append(shapely.MultiPolygon(parts))
        self.geometries = np.array(geometries, dtype=object)
        self.bounds = shapely.bounds(self.geometries)
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)
        self.by_code = {q.code: q for q in self.qpvs}
        self.position = {q.code: i for i, q in enumerate(self.qpvs)}
        self.by_commune = {}
        for qpv in self.qpvs:
            for commune in qpv.communes:
                self.by_commune.setdefault(commune, []).append(qpv)

    def geometry(self, code):
        position = self.position.get(code)
        return None if position is None else self.geometries[position]

    def locate(self, latitude, longitude, *, radius_m=None):
        """The QPV containing the point, else the nearest one within ``radius_m`` metres."""
        radius_m = radius_m or settings.TERRITORY_QPV_SEARCH_RADIUS
        point = shapely.Point(longitude, latitude)
        inside = self.tree.query(point, predicate="intersects")
        common = {"search_radius_m": radius_m, "latitude": latitude, "longitude": longitude}
        if len(inside):
            return QpvResult(Method.POINT, qpv=self.qpvs[int(min(inside))], distance_m=0, **common)
        candidates = self.tree.query(_search_box(latitude, longitude, radius_m))
        best, best_distance = None, math.inf
        if len(candidates):
            best, best_distance = self._nearest(latitude, longitude, candidates, radius_m)
        if best is None or best_distance > radius_m:
            return QpvResult(Method.POINT, **common)
        # Never « à 0 m » for a point outside: the rounding would read as inside.
        return QpvResult(Method.POINT, qpv=self.qpvs[best], distance_m=max(1, round(best_distance)), **common)

    def _nearest(self, latitude, longitude, candidates, radius_m):
        """The nearest candidate and its distance in metres.

        A lower bound of each candidate's distance (to its bounding box, with the smallest
        length a degree can have within the search box, less 1 %) orders them; only those
        whose bound is under the best exact distance found are projected.
        """
        dlat = radius_m / METRES_PER_DEGREE_LAT_MIN
        cos_min = max(math.cos(math.radians(min(89.0, abs(latitude) + dlat))), 0.01)
        kx, ky = METRES_PER_DEGREE_LON_AT_EQUATOR_MIN * cos_min * 0.99, METRES_PER_DEGREE_LAT_MIN * 0.99
        boxes = self.bounds[candidates]
        dx = np.maximum(np.maximum(boxes[:, 0] - longitude, longitude - boxes[:, 2]), 0) * kx
        dy = np.maximum(np.maximum(boxes[:, 1] - latitude, latitude - boxes[:, 3]), 0) * ky
        lower = np.hypot(dx, dy)
        order = np.argsort(lower)
        candidates, lower = candidates[order], lower[order]
        project = _projector(latitude, longitude)
        origin = shapely.Point(*project(longitude, latitude))

        def transform(coordinates):
            x, y = project(coordinates[:, 0], coordinates[:, 1])
            return np.column_stack((x, y))

        def exact(indices, reach_m):
            # Only the parts of the perimeters within a box larger than ``reach_m`` around the
            # point (the nearest point of a perimeter within reach is kept), then one
            # projection call and one vectorised distance for the batch.
            clipped = shapely.clip_by_rect(self.geometries[indices], *_search_box(latitude, longitude, reach_m).bounds)
            projected = shapely.transform(clipped, transform)
            return np.nan_to_num(shapely.distance(projected, origin), nan=math.inf)

        first = exact(candidates[:2], radius_m)
        nearest = int(np.argmin(first))
        best, best_distance = int(candidates[nearest]), float(first[nearest])
        rest = candidates[2:][lower[2:] < min(best_distance, radius_m)]
        if len(rest):
            distances = exact(rest, min(best_distance, radius_m) * 1.01 + 10)
            nearest = int(np.argmin(distances))
            if distances[nearest] < best_distance:
                best, best_distance = int(rest[nearest]), float(distances[nearest])
        return best, best_distance

    def for_commune(self, code):
        """The QPV of a commune (of its whole city for an arrondissement), by name."""
        commune = geo.commune(code)
        key = commune.qpv_commune if commune else code
        qpvs = sorted(self.by_commune.get(key, ()), key=lambda q: (q.name, q.code))
        return QpvResult(Method.COMMUNE, commune_qpvs=tuple(qpvs), commune_code=code)


def _decode(flat):
    coordinates = np.cumsum(np.asarray(flat, dtype=np.int64).reshape(-1, 2), axis=0)
    return coordinates / SCALE


def _search_box(latitude, longitude, radius_m):
    dlat = radius_m / METRES_PER_DEGREE_LAT_MIN
    cos_lat = max(math.cos(math.radians(min(89.0, abs(latitude) + dlat))), 0.01)
    dlon = radius_m / (METRES_PER_DEGREE_LON_AT_EQUATOR_MIN * cos_lat)
    return shapely.box(longitude - dlon, latitude - dlat, longitude + dlon, latitude + dlat)


_lock = threading.Lock()


@functools.cache
def _load_index():
    with gzip.open(QPV_FILE, "rt", encoding="utf-8") as handle:
        return QpvIndex(json.load(handle)["qpv"])


def index():
    """The process's index, built on first use (a lock: two threads never build it twice)."""
    with _lock:
        return _load_index()


def locate(latitude, longitude, *, radius_m=None):
    return index().locate(latitude, longitude, radius_m=radius_m)


def for_commune(code):
    return index().for_commune(code)


def check(*, latitude=None, longitude=None, commune_code="", placed=False):
    """The QPV check of a place: by its point when known, else by its commune, else none.
    ``placed``: the point is the one the applicant placed on the commune's map."""
    if latitude is not None and longitude is not None:
        result = locate(latitude, longitude)
        if commune_code or placed:
            result = dataclasses.replace(
                result, commune_code=commune_code or result.commune_code, method=Method.MAP if placed else result.method
            )
        return result
    if commune_code:
        return for_commune(commune_code)
    return QpvResult(Method.NONE)


def validate_coordinates(latitude, longitude):
    """Floats from text, or ValueError with a French message."""
    try:
        lat, lon = float(str(latitude).replace(",", ".")), float(str(longitude).replace(",", "."))
    except (TypeError, ValueError):
        message = _("La latitude et la longitude doivent être des nombres (par exemple 48.8867 et 2.3522).")
        raise ValueError(message) from None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(_("La latitude va de -90 à 90 et la longitude de -180 à 180.")) from None
    return lat, lon
