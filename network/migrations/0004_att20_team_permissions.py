"""The attendance's, exports' and resources' permissions for « Modérateurs »."""

from django.db import migrations


def forwards(apps, schema_editor):
    # A migration's function: the helper takes the historical apps.
    from network.team_permissions import grant_moderators

    grant_moderators(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_att20_resources"),
        ("laureates", "0002_lau19_coaching_areas_and_rights"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
