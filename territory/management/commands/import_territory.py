"""Re-import the QPV and the communes into ``territory/data/`` from the official files.

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    manage.py import_territory --qpv-geojson qpv2024.geojson.gz --qpv-csv qpv2024.csv \
        --decoupage package/data --decoupage-version 6.0.0
"""

from django.core.management.base import BaseCommand, CommandError

from territory import importer


class Command(BaseCommand):
    help = "Rebuild territory/data/ (QPV perimeters, communes, postal codes) from the source files."

    def add_arguments(self, parser):
        parser.add_argument("--qpv-geojson", required=True, help="qpv2024.geojson(.gz): the QPV perimeters")
        parser.add_argument("--qpv-csv", required=True, help="qpv2024.csv: the QPV list with communes")
        parser.add_argument("--decoupage", required=True, help="the data/ folder of @etalab/decoupage-administratif")
        parser.add_argument("--decoupage-version", default="6.0.0")
        parser.add_argument("--output", default=str(importer.DATA_DIR), help="folder written (territory/data/)")

    def handle(self, *args, **options):
        try:
            communes = importer.build_communes(options["decoupage"], version=options["decoupage_version"])
            qpv = importer.build_qpv(options["qpv_geojson"], options["qpv_csv"])
        except (OSError, KeyError, ValueError, importer.SourceError) as exc:
            raise CommandError(f"Import impossible : {exc}") from exc
        importer.write(communes, qpv, options["output"])
        self.stdout.write(
            f"{len(communes['communes'])} communes, {len(communes['departements'])} départements, "
            f"{len(communes['regions'])} régions, {len(qpv['qpv'])} QPV écrits dans {options['output']}"
        )
