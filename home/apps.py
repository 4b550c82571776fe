from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Site")

    def ready(self):
        # Django's rule: signal receivers that import models connect once the registry is ready.
        from .page_cache import connect_signals

        connect_signals()
        # Django's rule: system checks register when the registry is ready (home/checks.py:
        # production refuses the laptop defaults).
        from . import checks  # noqa: F401

        # Django's rule: the CDN purge's receivers (home/cdn.py) import models.
        from .cdn import connect_signals as connect_cdn_signals

        connect_cdn_signals()
        # The computed key figures (home/figures.py): each app's ``figures`` module registers
        # its own, and their models' signals; the modules import models (Django's rule).
        from . import figures

        figures.autodiscover()
