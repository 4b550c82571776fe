"""Repeatable sections of a call's form (calls/groups.py): « Partenaires » (0 to 3 entries)
and « Achats prévus » (1 to 4, with a total), added and removed with or without JavaScript,
bounds enforced on the server, stored as a list of entries."""

import re

import pytest

from calls.models import Application, Draft
from tests.calls.factories import CallIndexPageFactory, make_call

pytestmark = pytest.mark.django_db

GROUP_FIELDS = [
    {"label": "Vous", "field_type": "section"},
    {"label": "Nom du commerce", "field_type": "singleline", "purpose": "organization"},
    {"label": "Courriel", "field_type": "email", "purpose": "email"},
    {
        "label": "Partenaires",
        "field_type": "section",
        "repeatable": True,
        "min_entries": 0,
        "max_entries": 3,
        "entry_label": "Partenaire",
    },
    {"label": "Nom", "field_type": "singleline"},
    {"label": "Rôle", "field_type": "singleline", "required": False},
    {
        "label": "Achats prévus",
        "field_type": "section",
        "repeatable": True,
        "min_entries": 1,
        "max_entries": 4,
        "entry_label": "Achat",
    },
    {"label": "Objet", "field_type": "singleline"},
    {"label": "Montant", "field_type": "number"},
    {"label": "Fin", "field_type": "section"},
    {
        "label": "J'accepte le traitement de mes données",
        "field_type": "consent",
        "description": "Vos données servent à instruire votre candidature.",
    },
]

BASE = {"nom_du_commerce": "Le Petit Zinc", "courriel": "awa@example.org", "jaccepte_le_traitement_de_mes_donnees": "on"}


@pytest.fixture
def call(home_page):
    return make_call(CallIndexPageFactory(parent=home_page), fields=GROUP_FIELDS, slug="appel-groupes")


def token(html):
    return re.search(r'name="qc_jeton" value="([0-9a-f-]+)"', html).group(1)


def entries(key, rows):
    data = {f"{key}-nombre": str(len(rows))}
    for number, row in enumerate(rows, start=1):
        for field, value in row.items():
            data[f"{key}-{number}-{field}"] = value
    return data


def post(client, call, partners=(), purchases=({"objet": "Percolateur", "montant": "1200"},), **extra):
    html = client.get(call.url).content.decode()
    data = {"qc_jeton": token(html), **BASE, **entries("partenaires", partners), **entries("achats_prevus", purchases)}
    data.update(extra)
    return client.post(call.url, data)
