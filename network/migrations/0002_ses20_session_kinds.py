"""The three kinds of session of the programme; the team adds others as snippets."""

from django.db import migrations
from django.db.models import ProtectedError

KINDS = [
    ("Accompagnement collectif", "accompagnement", 10),
    ("Rencontre du réseau", "rencontre", 20),
    ("Session de co-construction avec les habitants", "co-construction", 30),
]


def seed(apps, schema_editor):
    SessionKind = apps.get_model("network", "SessionKind")
    for name, slug, sort_order in KINDS:
        SessionKind.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": sort_order})


def unseed(apps, schema_editor):
    SessionKind = apps.get_model("network", "SessionKind")
    # A kind some session uses is protected: only the unused seeded kinds go.
    for _name, slug, _order in KINDS:
        kind = SessionKind.objects.filter(slug=slug).first()
        if kind is not None:
            try:
                kind.delete()
            except ProtectedError:
                continue


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
