"""The laureates' map on the story index: France by région, drawn on the server as inline SVG.

The région outlines are precomputed (``stories/map_data/regions.json``, made by
``manage.py refresh_region_map``; see ``stories/map_data/README.md``): SVG path data already
projected into the map's frames, one frame for mainland France (Corse included) and one inset
per overseas région. Each frame has its projection (conformal: Lambert conic for the mainland,
Mercator for the insets) and the affine step that places it in the SVG, so the stories'
latitude and longitude land in the same coordinates at run time with a few lines of maths, and
nothing geographic is installed or downloaded to serve the page.

Each région shows its number of laureates (a shade and a badge) and links to the index
filtered on it; each story with coordinates is a dot. The figures come from one aggregate
query (the live, public stories grouped by région and coordinates), and the rendered SVG and
its table are kept in the listings' cache (``stories.listing_cache``) until the content
changes. The table beside the map carries the same figures and links: the map's text
alternative.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext
from wagtail.models import PageViewRestriction

from .listing_cache import cached
from .models import StoryPage
from .taxonomy import Region

DATA_FILE = Path(__file__).resolve().parent / "map_data" / "regions.json"

# The SVG's coordinate space: the mainland frame on top, the five overseas insets in a row.
VIEW_WIDTH = 600
INSET_TOP = 572
INSET_SIZE = 104
INSET_GAP = 20
INSET_LABEL_HEIGHT = 22
VIEW_HEIGHT = INSET_TOP + INSET_SIZE + INSET_LABEL_HEIGHT
MAINLAND_FRAME = "metropole"
# Where each frame goes (x, y, width, height) and how it is projected.
FRAMES = {
    MAINLAND_FRAME: {"box": (0, 0, VIEW_WIDTH, INSET_TOP - 12), "projection": "lcc"},
    **{
        region: {
            "box": (index * (INSET_SIZE + INSET_GAP), INSET_TOP, INSET_SIZE, INSET_SIZE),
            "projection": "mercator",
        }
        for index, region in enumerate(
            [Region.GUADELOUPE, Region.MARTINIQUE, Region.GUYANE, Region.LA_REUNION, Region.MAYOTTE]
        )
    },
}
OVERSEAS = frozenset(name for name in FRAMES if name != MAINLAND_FRAME)
# A dot farther than this (SVG units) outside its région's bounding box is a data-entry error
# (a story in Occitanie placed in the sea off Brittany): it is left off the map.
POINT_MARGIN = 3.0
POINT_RADIUS = 3.2
# Shades of the régions, by share of the busiest région's count (CSS classes map-region--q0..q4).
SHADES = 4

# Lambert conformal conic on the sphere, with the parameters of Lambert-93 (two standard
# parallels at 44° and 49° N, origin 46.5° N 3° E): little distortion over mainland France.
LCC_PARALLELS = (44.0, 49.0)
LCC_ORIGIN = (46.5, 3.0)


def frame_of(region):
    return region if region in OVERSEAS else MAINLAND_FRAME


def _lcc_constants():
    phi1, phi2 = (math.radians(value) for value in LCC_PARALLELS)
    phi0 = math.radians(LCC_ORIGIN[0])

    def t(phi):
        return math.tan(math.pi / 4 + phi / 2)

    n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(t(phi2) / t(phi1))
    f = math.cos(phi1) * t(phi1) ** n / n
    return n, f, f / t(phi0) ** n, t


_LCC = _lcc_constants()


def project(projection, latitude, longitude):
    """Plane coordinates (unit sphere, y towards the north) of a point in degrees."""
    phi, lam = math.radians(float(latitude)), math.radians(float(longitude))
    if projection == "lcc":
        n, f, rho0, t = _LCC
        rho = f / t(phi) ** n
        theta = n * (lam - math.radians(LCC_ORIGIN[1]))
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)
    if projection == "mercator":
        return lam, math.log(math.tan(math.pi / 4 + phi / 2))
    raise ValueError(projection)


@cache
def map_data():
    """The precomputed outlines and frames (read once per process)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


def to_svg(frame, latitude, longitude):
    """SVG coordinates of a point, in the frame where ``frame`` is drawn."""
    spec = map_data()["frames"][frame]
    x, y = project(spec["projection"], latitude, longitude)
    scale, tx, ty = spec["transform"]
    return tx + scale * x, ty - scale * y


@dataclass
class RegionFigure:
    code: str
    label: str
    count: int
    url: str | None
    shade: int
    selected: bool


def region_counts_and_points(stories):
    """One aggregate query: the stories per région and per pair of coordinates."""
    rows = stories.order_by().values("region", "latitude", "longitude").annotate(n=Count("pk"))
    counts, points = {}, []
    for row in rows:
        counts[row["region"]] = counts.get(row["region"], 0) + row["n"]
        if row["latitude"] is not None and row["longitude"] is not None:
            points.append((row["region"], row["latitude"], row["longitude"], row["n"]))
    return counts, points


def place_points(points):
    """The dots to draw: (x, y) for each pair of coordinates inside its région's box."""
    regions = map_data()["regions"]
    placed = []
    for region, latitude, longitude, _n in sorted(points, key=lambda item: (item[0], item[1], item[2])):
        if region not in regions:
            continue
        x, y = to_svg(frame_of(region), latitude, longitude)
        x0, y0, x1, y1 = regions[region]["bbox"]
        if x0 - POINT_MARGIN <= x <= x1 + POINT_MARGIN and y0 - POINT_MARGIN <= y <= y1 + POINT_MARGIN:
            placed.append((region, round(x, 1), round(y, 1)))
    return placed


def shade(count, busiest):
    if not count:
        return 0
    return max(1, math.ceil(SHADES * count / busiest))


def figures(counts, index_url, selected=None):
    """One row per région, in the order of the taxonomy, with its count and filter link."""
    busiest = max(counts.values(), default=0)
    rows = []
    for code, label in Region.choices:
        count = counts.get(code, 0)
        # The fragment keeps the visitor at the results of the région they chose (not the top).
        url = f"{index_url}?region={code}#story-results" if count else None
        rows.append(RegionFigure(code, str(label), count, url, shade(count, busiest), code == selected))
    return rows


def _number(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


def laureates_label(count):
    return ngettext("%(count)s lauréat", "%(count)s lauréats", count) % {"count": count}


def render_svg(rows, placed, title_id):
    """The map's SVG markup (only attributes the HTML checker knows; styling is in stories.css)."""
    data = map_data()
    parts = []
    for name, spec in FRAMES.items():
        if name == MAINLAND_FRAME:
            continue
        x, y, width, height = spec["box"]
        parts.append(
            format_html(
                '<rect class="map-inset" x="{}" y="{}" width="{}" height="{}"/>'
                '<text class="map-inset__label" x="{}" y="{}" aria-hidden="true">{}</text>',
                x,
                y,
                width,
                height,
                _number(x + width / 2),
                y + height + INSET_LABEL_HEIGHT - 6,
                Region(name).label,
            )
        )
    for row in rows:
        outline = data["regions"].get(row.code)
        if outline is None:
            continue
        classes = f"map-region map-region--q{row.shade}" + (" is-selected" if row.selected else "")
        shape = format_html('<path class="{}" d="{}"/>', classes, outline["d"])
        if row.url:
            lx, ly = outline["label"]
            badge = format_html(
                '<g class="map-badge"><circle cx="{}" cy="{}" r="{}"/><text x="{}" y="{}">{}</text></g>',
                _number(lx),
                _number(ly),
                13 if row.count < 100 else 16,
                _number(lx),
                _number(ly + 4.5),
                row.count,
            )
            name = f"{row.label} : {laureates_label(row.count)}"
            current = mark_safe(' aria-current="true"') if row.selected else ""  # a fixed attribute
            parts.append(
                format_html(
                    '<a class="map-link" href="{}" aria-label="{}"{}><title>{}</title>{}{}</a>',
                    row.url,
                    name,
                    current,
                    name,
                    shape,
                    badge,
                )
            )
        else:
            parts.append(shape)
    dots = format_html_join(
        "", '<circle class="map-point" cx="{}" cy="{}" r="{}"/>', ((x, y, POINT_RADIUS) for _r, x, y in placed)
    )
    return format_html(
        '<svg class="laureate-map__svg" viewBox="0 0 {} {}" role="group" aria-labelledby="{}">{}'
        '<g class="map-points" aria-hidden="true">{}</g></svg>',
        VIEW_WIDTH,
        VIEW_HEIGHT,
        title_id,
        mark_safe("".join(parts)),  # each part escaped by format_html above
        dots,
    )


def build_map(stories, index_url, selected=None, title_id="laureate-map-title"):
    """The map's SVG, its table rows and totals (not cached; see ``laureate_map``)."""
    counts, points = region_counts_and_points(stories)
    rows = figures(counts, index_url, selected)
    placed = place_points(points)
    return {
        "svg": render_svg(rows, placed, title_id),
        "rows": rows,
        "total": sum(counts.values()),
        "points": len(placed),
    }


def public_stories(index):
    """The index's live stories without a view restriction on them or above, as one query.

    Wagtail's ``public()`` reads the restrictions first (a query of its own); here they are a
    subquery: a restriction applies when its page's path starts the story's path.
    """
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return StoryPage.objects.child_of(index).live().exclude(Exists(restricted))


def laureate_map(index, index_url, selected=None):
    """``build_map`` for the index's live, public stories, cached until the content changes."""
    if selected not in Region.values:
        selected = None

    def compute():
        value = build_map(public_stories(index), index_url, selected)
        value["svg"] = str(value["svg"])
        return value

    value = cached("story-map:2", {"index": index.pk, "url": index_url, "region": selected}, compute)
    value["svg"] = mark_safe(value["svg"])  # built with format_html in render_svg
    return value
