from django.db import migrations, models
from django.db.models import F


def confirm_existing_owners(apps, schema_editor):
    """Drafts saved with an address before confirmation existed stay in their owners' space."""
    Draft = apps.get_model("calls", "Draft")
    Draft.objects.exclude(email="").filter(email_provisional=False).update(email_confirmed_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0013_field_type_choices"),
    ]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="email_confirmed_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text=(
                    "Le propriétaire a ouvert le lien envoyé à son adresse : seulement alors le brouillon apparaît "
                    "dans son espace candidat."
                ),
                null=True,
                verbose_name="adresse confirmée le",
            ),
        ),
        migrations.AddField(
            model_name="draft",
            name="link_key",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="clé du lien de reprise"),
        ),
        migrations.AddField(
            model_name="draft",
            name="link_issued_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="lien de reprise créé le"
            ),
        ),
        migrations.RunPython(confirm_existing_owners, migrations.RunPython.noop),
    ]
