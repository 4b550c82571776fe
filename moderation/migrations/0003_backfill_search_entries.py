"""Search text for the applications received before the queue existed."""

from django.db import migrations


def backfill(apps, schema_editor):
    from moderation.search import search_text as answers_text

    Application = apps.get_model("calls", "Application")
    SearchEntry = apps.get_model("moderation", "SearchEntry")
    for application in Application.objects.filter(search_entry__isnull=True).iterator():
        SearchEntry.objects.create(application=application, text=answers_text(application))


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_groups")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
