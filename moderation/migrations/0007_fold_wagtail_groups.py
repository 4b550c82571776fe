"""Wagtail's English groups « Editors » and « Moderators » folded into « Éditeurs »: see
``moderation/groups.py``."""

from django.conf import settings
from django.db import migrations


def fold(apps, schema_editor):
    from moderation.groups import fold_wagtail_groups  # the groups' rules live in one module

    fold_wagtail_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0006_region_targets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(fold, migrations.RunPython.noop)]
