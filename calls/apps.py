from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Appels à candidatures")

    def ready(self):
        # Django's rule: receivers that import models connect once the app registry is ready;
        # the same for the readiness probe, which reports clamd.
        from home.health import register_check  # Django's rule: home.health imports models

        from . import signals  # noqa: F401
        from .attachments import antivirus  # beside its registration, like the line above

        register_check("antivirus", antivirus.health)
