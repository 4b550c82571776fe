"""Wagtail's default workflow and its task, created by its migrations as « Moderators
approval », named in French (the publish menu reads « Soumettre à la validation des
éditeurs »). Only the English default names are changed; a name an administrator chose stays."""

from django.db import migrations

ENGLISH = "Moderators approval"
WORKFLOW = "la validation des éditeurs"
TASK = "Validation par un éditeur"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=ENGLISH).update(name=WORKFLOW)
    apps.get_model("wagtailcore", "Task").objects.filter(name=ENGLISH).update(name=TASK)


def rename_back(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW).update(name=ENGLISH)
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK).update(name=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0009_ed24_editors_media_rights"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
