from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaureatesConfig(AppConfig):
    """The laureates after the decision: their record, award, payments, plan and history."""

    name = "laureates"
    label = "laureates"
    verbose_name = _("Lauréats")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's rule: receivers that import models connect once the app registry is ready.
        # plan_hooks and report_hooks: the coaching plan's and the sponsor's report's admin
        # pages, in hooks modules of their own (Wagtail discovers wagtail_hooks modules only,
        # and that one is the laureates' admin; they import the views); legal: the privacy
        # page's processing, registered once; files: the laureates' folder for the orphan sweep.
        from calls import orphan_files

        from . import files, legal, plan_hooks, report_hooks, signals  # noqa: F401

        orphan_files.register_folder(files.FOLDER, files.referenced)
