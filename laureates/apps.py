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
        # Wagtail's hooks of the sponsor's report (its own module; hooks register on import).
        from . import (
            report_hooks,  # noqa: F401
            signals,  # noqa: F401
        )
