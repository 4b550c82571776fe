"""Seed the themes editors start from; editors can rename or add themes afterwards."""

from django.db import migrations

SEED_THEMES = [
    ("acces-au-numerique", "Accès au numérique"),
    ("inclusion-des-femmes", "Inclusion des femmes"),
    ("formation-des-jeunes", "Formation des jeunes"),
    ("alimentation-durable", "Alimentation durable"),
    ("lien-intergenerationnel", "Lien intergénérationnel"),
    ("parentalite", "Parentalité"),
    ("emploi", "Emploi"),
]


def seed_themes(apps, schema_editor):
    Theme = apps.get_model("stories", "Theme")
    for slug, name in SEED_THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
