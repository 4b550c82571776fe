from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Crée le super-utilisateur de développement (réglages de développement uniquement)."

    def handle(self, *args, **options):
        credentials = settings.DEV_SUPERUSER
        if not credentials:
            self.stdout.write("Aucun super-utilisateur de développement avec ces réglages : rien n'est créé.")
            return
        username, password = credentials
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": "admin@example.org", "is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save()
        state = "créé" if created else "déjà présent"
        self.stdout.write(
            f"Super-utilisateur de développement {state} : identifiant « {username} », mot de passe « {password} »"
        )
