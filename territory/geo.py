"""Communes, postal codes, départements and régions (INSEE, COG 2026), read once per
process from ``territory/data/communes.json.gz`` (see its README)."""

import functools
import gzip
import json
import re
from dataclasses import dataclass

from .importer import COMMUNES_FILE

POSTCODE_RE = re.compile(r"^[0-9]{5}$")
INSEE_RE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")


@dataclass(frozen=True)
class Commune:
    code: str
    name: str
    departement: str
    region: str
    postal_codes: tuple
    # For an arrondissement of Paris, Lyon or Marseille, the commune it belongs to.
    parent: str = ""

    @property
    def qpv_commune(self):
        """The code the QPV list uses: the whole commune for an arrondissement."""
        return self.parent or self.code

    @property
    def departement_name(self):
        return departement_name(self.departement)

    @property
    def region_name(self):
        return region_name(self.region)

    def as_dict(self):
        return {
            "code": self.code,
            "nom": self.name,
            "departement": self.departement,
            "region": self.region,
            "codes_postaux": list(self.postal_codes),
        }


@dataclass(frozen=True)
class _Data:
    communes: dict
    by_postcode: dict
    departements: dict
    regions: dict


@functools.cache
def _data():
    with gzip.open(COMMUNES_FILE, "rt", encoding="utf-8") as handle:
        raw = json.load(handle)
    communes = {}
    for code, name, departement, region, postal_codes, parent in raw["communes"]:
        communes[code] = Commune(code, name, departement, region, tuple(postal_codes.split()), parent)
    with_arrondissements = {c.parent for c in communes.values() if c.parent}
    by_postcode = {}
    for commune in communes.values():
        # Paris, Lyon, Marseille: a postal code names an arrondissement, not the whole city.
        if commune.code in with_arrondissements:
            continue
        for postal_code in commune.postal_codes:
            by_postcode.setdefault(postal_code, []).append(commune)
    for items in by_postcode.values():
        items.sort(key=lambda c: (c.name, c.code))
    return _Data(
        communes=communes,
        by_postcode=by_postcode,
        departements={code: tuple(value) for code, value in raw["departements"].items()},
        regions=dict(raw["regions"]),
    )


def commune(code):
    """The commune (or arrondissement) with this INSEE code, or None."""
    return _data().communes.get((code or "").strip().upper())


def communes_for_postcode(postal_code):
    """The communes a postal code serves, by name (several for a shared code)."""
    return list(_data().by_postcode.get((postal_code or "").strip(), ()))


def departement_name(code):
    value = _data().departements.get(code)
    return value[0] if value else ""


def region_name(code):
    return _data().regions.get(code, "")


def is_postcode(value):
    return bool(POSTCODE_RE.match(value or ""))


def is_insee_code(value):
    return bool(INSEE_RE.match(value or ""))
