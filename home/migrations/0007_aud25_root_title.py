"""Wagtail's migrations create the tree's root page as « Root »: the page explorer shows that
English word to the team (« Exploration: Root »). Named « Racine »; a title an administrator
chose stays."""

from django.db import migrations

ENGLISH = "Root"
FRENCH = "Racine"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=ENGLISH).update(
        title=FRENCH, draft_title=FRENCH
    )


def rename_back(apps, schema_editor):
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=FRENCH).update(
        title=ENGLISH, draft_title=ENGLISH
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_legal_pages_computed_key_figures"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
