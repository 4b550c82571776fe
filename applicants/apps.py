from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Espace candidat")

    def ready(self):
        # Django's rule: receivers that import models connect once the app registry is ready.
        from . import signals  # noqa: F401
