"""The commune's map on which an applicant places their business, when no geocoder can.

A frame around the commune's QPV perimeters (their bounding box with a margin: the bundled
data has no commune outline nor street), drawn on the server as SVG: every QPV perimeter
that meets the frame, named. The projection is linear (longitude scaled by the cosine of
the frame's middle latitude): over a commune its error is metres, and the distance itself
is measured by ``qpv.locate`` from the point's latitude and longitude, never on the SVG.
``territory/static/territory/address.js`` turns a click, a tap or the arrow keys into a
latitude and longitude with the frame's ``west``/``north`` and scales (the JSON of
``/api/qpv/carte/``), and ``territory.forms.AddressField`` accepts a point only inside the
frame of the chosen commune.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import geo, qpv

WIDTH = 600  # the SVG's width, in its own units
MIN_HALF_SIZE_M = 1200  # the frame is at least 2.4 km across
MARGIN_RATIO = 0.25  # around the QPV's bounding box, on each side
MIN_MARGIN_M = 800
METRES_PER_DEGREE = 111_320


@dataclass(frozen=True)
class Frame:
    commune_code: str
    commune_name: str
    west: float
    south: float
    east: float
    north: float
    qpv_count: int

    @property
    def cos_lat(self):
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height(self):
        """The SVG's height for ``WIDTH``, keeping the ground's proportions."""
        return round(WIDTH * (self.north - self.south) / ((self.east - self.west) * self.cos_lat))

    @property
    def scale(self):
        """SVG units per degree of longitude (x) and of latitude (y)."""
        return WIDTH / (self.east - self.west), self.height / (self.north - self.south)

    def to_svg(self, latitude, longitude):
        kx, ky = self.scale
        return (longitude - self.west) * kx, (self.north - latitude) * ky

    def contains(self, latitude, longitude):
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east

    @property
    def centre(self):
        """The frame's centre: the middle of the commune's QPV area, a point of the commune
        known from the bundled data (not an address)."""
        return round((self.south + self.north) / 2, 5), round((self.west + self.east) / 2, 5)

    def as_dict(self):
        return {
            "commune": self.commune_code,
            "nom": self.commune_name,
            "ouest": self.west,
            "sud": self.south,
            "est": self.east,
            "nord": self.north,
            "largeur": WIDTH,
            "hauteur": self.height,
            "nombre_de_qpv": self.qpv_count,
        }


@lru_cache(maxsize=256)
def frame(commune_code):
    """The map's frame for a commune with QPV (an arrondissement: its city's), else None."""
    commune = geo.commune(commune_code)
    if commune is None:
        return None
    index = qpv.index()
    qpvs = index.by_commune.get(commune.qpv_commune, ())
    if not qpvs:
        return None
    bounds = index.bounds[[index.position[q.code] for q in qpvs]]
    west, south = bounds[:, 0].min(), bounds[:, 1].min()
    east, north = bounds[:, 2].max(), bounds[:, 3].max()
    middle = (south + north) / 2
    metres_x = METRES_PER_DEGREE * math.cos(math.radians(middle))
    half_w = max((east - west) * metres_x / 2, MIN_HALF_SIZE_M)
    half_h = max((north - south) * METRES_PER_DEGREE / 2, MIN_HALF_SIZE_M)
    margin = max(MIN_MARGIN_M, MARGIN_RATIO * max(half_w, half_h))
    half_w, half_h = half_w + margin, half_h + margin
    # Neither a ribbon nor a tower: between 1:2 and 1:1 (height:width) on the ground.
    half_h = min(max(half_h, half_w / 2), half_w)
    half_w = max(half_w, half_h)
    cx, cy = (west + east) / 2, middle
    dx, dy = half_w / metres_x, half_h / METRES_PER_DEGREE
    return Frame(
        commune_code=commune.code,
        commune_name=commune.name,
        west=round(float(cx - dx), 5),
        south=round(float(cy - dy), 5),
        east=round(float(cx + dx), 5),
        north=round(float(cy + dy), 5),
        qpv_count=len(qpvs),
    )


def commune_centre(commune_code):
    """(latitude, longitude) of the middle of the commune's QPV area, or None."""
    found = frame(commune_code)
    return found.centre if found else None


def _path(geometry, to_svg):
    parts = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = np.asarray(ring.coords)
            x, y = to_svg(coords[:, 1], coords[:, 0])
            parts.append("M" + " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y, strict=True)) + "Z")
    return " ".join(parts)


@lru_cache(maxsize=64)
def render(commune_code):
    """The SVG (safe HTML) of the frame and the QPV perimeters in it; "" without a frame."""
    found = frame(commune_code)
    if found is None:
        return ""
    index = qpv.index()
    box = shapely.box(found.west, found.south, found.east, found.north)
    shapes, labels = [], []
    for i in sorted(int(i) for i in index.tree.query(box)):
        clipped = shapely.clip_by_rect(index.geometries[i], found.west, found.south, found.east, found.north)
        path = _path(clipped, found.to_svg)
        if not path:
            continue
        name = index.qpvs[i].name
        shapes.append((path, _("Quartier prioritaire : %(name)s") % {"name": name}))
        point = clipped.representative_point()
        x, y = found.to_svg(point.y, point.x)
        labels.append((f"{x:.1f}", f"{y:.1f}", name))
    description = ngettext(
        "Carte de %(commune)s : %(n)s quartier prioritaire, en rose, et ses alentours.",
        "Carte de %(commune)s : %(n)s quartiers prioritaires, en rose, et leurs alentours.",
        found.qpv_count,
    ) % {"commune": found.commune_name, "n": found.qpv_count}
    return format_html(
        '<svg class="qc-map__svg" viewBox="0 0 {w} {h}" role="img" aria-label="{label}" '
        'xmlns="http://www.w3.org/2000/svg" focusable="false">'
        '<rect width="{w}" height="{h}" fill="#fbfaf7"/>'
        '<g class="qc-map__qpv">{shapes}</g><g class="qc-map__labels" aria-hidden="true">{labels}</g>'
        '<circle class="qc-map__marker" r="9" cx="-20" cy="-20" fill="#1d4ed8" stroke="#fff" stroke-width="3"/>'
        "</svg>",
        w=WIDTH,
        h=found.height,
        label=description,
        shapes=format_html_join(
            "", '<path d="{}" fill="#f3c6d3" stroke="#8a1c3b" stroke-width="1.5"><title>{}</title></path>', shapes
        ),
        labels=format_html_join(
            "",
            '<text x="{}" y="{}" font-size="13" text-anchor="middle" fill="#4a0f20">{}</text>',
            labels,
        ),
    )
