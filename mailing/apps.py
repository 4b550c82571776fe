from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "mailing"
    verbose_name = _("Liste « prévenez-moi »")

    def ready(self):
        # The privacy page's processing, registered once the apps are loaded.
        from . import legal  # noqa: F401
