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
        # plan_hooks: the coaching plan's admin pages, in a hooks module of their own (Wagtail
        # discovers wagtail_hooks modules only, and that one is the laureates' admin).
        from . import plan_hooks, signals  # noqa: F401
