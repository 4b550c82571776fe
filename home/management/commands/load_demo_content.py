from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from home import demo
from home.demo_content import build_site


class Command(BaseCommand):
    help = "Construit le site de démonstration de Quartiers Cafés (idempotent)."

    def handle(self, *args, **options):
        autodiscover_modules("demo")
        with transaction.atomic():
            home = build_site(self.stdout)
            for _order, loader in sorted(demo.LOADERS, key=lambda item: item[0]):
                loader(home, self.stdout)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
