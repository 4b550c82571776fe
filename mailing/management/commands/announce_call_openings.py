from django.core.management.base import BaseCommand

from mailing.tasks import announce_openings


class Command(BaseCommand):
    help = "Annonce aux inscrits de la liste « prévenez-moi » les appels dont l'ouverture est arrivée."

    def handle(self, *args, **options):
        handled, queued = announce_openings()
        self.stdout.write(f"{len(handled)} appel(s) ouvert(s) annoncé(s), {queued} courriel(s) mis en file.")
