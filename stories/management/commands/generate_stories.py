import random
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from stories.generate import generate_stories
from stories.models import StoryIndexPage


class Command(BaseCommand):
    help = (
        "Crée N récits de lauréats fictifs et réalistes (villes Faker fr_FR, vraies régions, thèmes, "
        "types de commerce), marqués comme exemples. Reproductible avec --seed. Sans révisions ni "
        "index des références (manage.py rebuild_references_index les reconstruit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100, help="Nombre de récits à créer (100 par défaut).")
        parser.add_argument(
            "--seed", type=int, default=None, help="Graine du générateur, pour refaire les mêmes récits."
        )

    def handle(self, *args, count, seed, **options):
        if count < 0:
            raise CommandError("--count doit être positif.")
        index = StoryIndexPage.objects.first()
        if index is None:
            raise CommandError(
                "Aucune page « Les lauréats » : lancez d'abord « manage.py load_demo_content » "
                "ou créez l'index des lauréats dans l'administration."
            )
        if seed is None:
            seed = random.randrange(1_000_000)
        started = time.monotonic()
        stories = generate_stories(index, count, seed=seed, progress=self.progress_bar(count))
        self.stderr.write("")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"{len(stories)} récits créés sous /{index.slug}/ en {elapsed:.1f} s (graine {seed}).")
        )

    def progress_bar(self, total, width=30):
        """A progress bar on stderr, redrawn at each percent (or each story below 100)."""
        step = max(1, total // 100)
        interactive = getattr(sys.stderr, "isatty", lambda: False)()

        def progress(done, total=total):
            if done % step and done != total:
                return
            filled = int(width * done / total) if total else width
            bar = "█" * filled + "·" * (width - filled)
            line = f"Récits : [{bar}] {done}/{total}"
            if interactive:
                self.stderr.write("\r" + line, ending="")
                self.stderr.flush()
            elif done == total or done % (step * 10) == 0:
                self.stderr.write(line)

        return progress
