"""« Éditeurs » given the image permissions Wagtail checks (``wagtailimages.Image``'s, not the
custom image model's), the partners' and the themes': see ``moderation/groups.py``."""

from django.db import migrations


def grant(apps, schema_editor):
    from moderation.groups import create_groups  # the groups' rules live in one module

    create_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0008_history_kinds_applicant_answer"),
        ("wagtailimages", "0027_image_description"),
        ("home", "0002_initial"),
        ("stories", "0004_image_rights"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
