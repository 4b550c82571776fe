"""The coaching areas to start with, and the laureates' permissions for « Modérateurs »."""

from django.db import migrations


def forwards(apps, schema_editor):
    # A migration's function: the helpers take the historical apps.
    from laureates.groups import grant_moderators, seed_coaching_areas

    seed_coaching_areas(apps)
    grant_moderators(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("laureates", "0001_initial"),
        ("moderation", "0013_lau19_decision_amount"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
