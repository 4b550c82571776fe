from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0008_history_kinds_applicant_answer'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historyentry',
            name='kind',
            field=models.CharField(choices=[('transition', 'Changement de statut'), ('assignment', 'Évaluateur assigné'), ('unassignment', 'Évaluateur retiré'), ('story', 'Récit créé'), ('data_export', 'Export des données du candidat'), ('erasure', 'Effacement des données personnelles'), ('applicant_answer', 'Réponse du candidat'), ('decision_staged', 'Décision préparée'), ('decision_cancelled', 'Décision préparée annulée'), ('announcement', 'Annonce programmée'), ('email_sent', 'Courriel envoyé'), ('conflict', "Conflit d'intérêts déclaré")], max_length=20, verbose_name='type'),
        ),
    ]
