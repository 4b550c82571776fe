"""The groups of the site and their permissions: see ``moderation/groups.py``."""

from django.db import migrations


def create_groups(apps, schema_editor):
    from moderation.groups import create_groups

    create_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_initial"),
        ("home", "0002_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
