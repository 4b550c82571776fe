"""A small server-rendered SVG map around a point: the QPV perimeters near it, the point,
a scale bar. No tiles, no script: for the story editor's preview (territory/panels.py)."""

import math

import numpy as np
import shapely
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import qpv

SIZE = 240  # the SVG's side, in its own units
MIN_HALF_WIDTH_M = 400
MAX_HALF_WIDTH_M = 5000


def _path(geometry, scale, half):
    parts = []
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = np.asarray(ring.coords)
            points = " ".join(f"{(x + half) * scale:.1f},{(half - y) * scale:.1f}" for x, y in coords)
            parts.append(f"M{points}Z")
    return " ".join(parts)


def render(latitude, longitude, result=None):
    """The SVG (safe HTML) of the point at (latitude, longitude) and the perimeters near it."""
    result = result or qpv.locate(latitude, longitude)
    distance = result.distance_m or 0
    half = min(MAX_HALF_WIDTH_M, max(MIN_HALF_WIDTH_M, distance * 1.4))
    index = qpv.index()
    candidates = index.tree.query(qpv._search_box(latitude, longitude, half * 1.5))
    project = qpv._projector(latitude, longitude)
    cx, cy = project(longitude, latitude)

    def transform(coordinates):
        x, y = project(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack((np.asarray(x) - cx, np.asarray(y) - cy))

    scale = SIZE / (2 * half)
    shapes = []
    for i in candidates:
        clipped = shapely.clip_by_rect(
            shapely.transform(index.geometries[i], transform), -half * 1.2, -half * 1.2, half * 1.2, half * 1.2
        )
        path = _path(clipped, scale, half)
        if path:
            code = index.qpvs[int(i)].code
            nearest = result.qpv is not None and code == result.qpv.code
            shapes.append(
                format_html(
                    '<path d="{}" fill="{}" stroke="#8a1c3b" stroke-width="{}"><title>{}</title></path>',
                    path,
                    "#f3c6d3" if nearest else "#f7e3e9",
                    "2" if nearest else "1",
                    index.qpvs[int(i)].label,
                )
            )
    bar_m = _nice_length(half / 2)
    bar = bar_m * scale
    bar_label = f"{bar_m // 1000} km" if bar_m >= 1000 else f"{bar_m} m"
    label = _("Carte : le point et les QPV à moins de %(km)s km ; %(result)s.") % {
        "km": number_format(half / 1000, 1),
        "result": result.text(),
    }
    return format_html(
        '<svg class="territory-minimap" viewBox="0 0 {s} {s}" width="{s}" height="{s}" role="img" '
        'aria-label="{label}" xmlns="http://www.w3.org/2000/svg">'
        '<rect width="{s}" height="{s}" fill="#fbfaf7" stroke="#767676"/>{shapes}'
        '<circle cx="{c}" cy="{c}" r="6" fill="#1d4ed8" stroke="#fff" stroke-width="2"/>'
        '<line x1="10" y1="{y}" x2="{x2}" y2="{y}" stroke="#222" stroke-width="3"/>'
        '<text x="10" y="{ty}" font-size="11" fill="#222">{bar_label}</text></svg>',
        s=SIZE,
        label=label,
        # Each shape went through format_html: joined, they stay safe.
        shapes=mark_safe("".join(str(shape) for shape in shapes)),
        c=SIZE / 2,
        y=SIZE - 12,
        x2=f"{10 + bar:.1f}",
        ty=SIZE - 18,
        bar_label=bar_label,
    )


def _nice_length(metres):
    """1, 2 or 5 × a power of ten, at most ``metres``."""
    power = 10 ** math.floor(math.log10(max(metres, 1)))
    for step in (5, 2, 1):
        if step * power <= metres:
            return int(step * power)
    return int(power)
