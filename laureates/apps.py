from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaureatesConfig(AppConfig):
    """The laureates after the decision: their record, award, payments, plan and history."""

    name = "laureates"
    label = "laureates"
    verbose_name = _("Lauréats")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's rule: receivers that import models connect once the app registry is ready;
        # the same for the sponsor's report's Wagtail hooks (report_hooks imports the views).
        from . import report_hooks, signals  # noqa: F401
