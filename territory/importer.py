"""Build the compact data files of ``territory/data/`` from the official files.

Sources (see ``territory/data/README.md``): the QPV 2024 perimeters and list (ANCT, via
data.gouv.fr) and the npm package ``@etalab/decoupage-administratif`` (INSEE, COG). Run by
``manage.py import_territory``; nothing here runs while the site serves pages.
"""

import csv
import gzip
import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
COMMUNES_FILE = DATA_DIR / "communes.json.gz"
QPV_FILE = DATA_DIR / "qpv2024.json.gz"

# Coordinates are kept as integers of 1e-5 degree (about 1 m); the source is rounded to 1e-4.
SCALE = 100_000
COMMUNE_TYPES = {"commune-actuelle", "arrondissement-municipal"}


class SourceError(Exception):
    """A source file is missing or does not look like what it should be."""


def _load_json(path):
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _write_json_gz(data, path):
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same sources give the same bytes, so a refresh without change is no diff.
    with open(path, "wb") as target, gzip.GzipFile(filename="", mode="wb", fileobj=target, mtime=0) as handle:
        handle.write(raw)


def build_communes(decoupage_dir, *, version):
    """The communes (actual communes and Paris, Lyon, Marseille's arrondissements), their
    postal codes, départements and régions, from the package's ``data/`` folder."""
    folder = Path(decoupage_dir)
    communes = _load_json(folder / "communes.json")
    departements = _load_json(folder / "departements.json")
    regions = _load_json(folder / "regions.json")
    if not communes or "codesPostaux" not in communes[0]:
        raise SourceError(f"{folder / 'communes.json'} has no postal codes: not the expected file")
    rows = []
    for commune in communes:
        if commune.get("type") not in COMMUNE_TYPES:
            continue
        rows.append(
            [
                commune["code"],
                commune["nom"],
                commune.get("departement", ""),
                commune.get("region", ""),
                " ".join(sorted(commune.get("codesPostaux", []))),
                # The commune an arrondissement belongs to (75056 for 75118), else "".
                commune.get("commune", "") if commune["type"] == "arrondissement-municipal" else "",
            ]
        )
    rows.sort()
    return {
        "source": f"@etalab/decoupage-administratif {version}",
        "fields": ["code", "nom", "departement", "region", "codes_postaux", "commune_parente"],
        "regions": {r["code"]: r["nom"] for r in sorted(regions, key=lambda r: r["code"])},
        "departements": {d["code"]: [d["nom"], d["region"]] for d in sorted(departements, key=lambda d: d["code"])},
        "communes": rows,
    }


def _encode_ring(ring):
    """A ring as a flat list of integer deltas: x0, y0, dx1, dy1… (compact once gzipped)."""
    flat, last_x, last_y = [], 0, 0
    for lon, lat in ring:
        x, y = round(lon * SCALE), round(lat * SCALE)
        flat += [x - last_x, y - last_y]
        last_x, last_y = x, y
    return flat


def build_qpv(geojson_path, csv_path):
    """The QPV perimeters with their code, name, communes, département and région."""
    collection = _load_json(geojson_path)
    with open(csv_path, encoding="utf-8", newline="") as handle:
        listed = {row["code_qp"]: row for row in csv.DictReader(handle)}
    rows = []
    for feature in collection.get("features", []):
        props = feature["properties"]
        code = props["code_qp"]
        if code not in listed:
            raise SourceError(f"{code} is in the perimeters but not in {csv_path}")
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rows.append(
            [
                code,
                listed[code]["lib_qp"] or props.get("lib_qp", ""),
                listed[code]["insee_com"] or props.get("insee_com", ""),
                listed[code]["code_dep"],
                listed[code]["code_reg"],
                [[_encode_ring(ring) for ring in polygon] for polygon in polygons],
            ]
        )
    missing = set(listed) - {row[0] for row in rows}
    if missing:
        raise SourceError(f"{len(missing)} QPV listed without a perimeter, e.g. {sorted(missing)[:3]}")
    rows.sort()
    return {
        "source": "ANCT, QPV 2024 (data.gouv.fr)",
        "fields": ["code", "nom", "communes", "departement", "region", "polygones"],
        "scale": SCALE,
        "qpv": rows,
    }


def write(communes, qpv, directory=DATA_DIR):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    _write_json_gz(communes, directory / COMMUNES_FILE.name)
    _write_json_gz(qpv, directory / QPV_FILE.name)
