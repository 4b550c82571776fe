"""The « Modérateurs » group sees the list and may delete a subscription (mailing/wagtail_hooks.py)."""

from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="mailing", model="subscriber")
    moderators, _created = Group.objects.get_or_create(name="Modérateurs")
    for codename, name in (("view_subscriber", "Can view inscription"), ("delete_subscriber", "Can delete inscription")):
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        moderators.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("mailing", "0001_list21_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
