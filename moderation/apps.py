from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    """The moderation queue of the calls: history, reviewers, reviews, decisions, RGPD.

    A sub-app of ``calls`` with its own models and migrations (label ``moderation``).
    """

    name = "moderation"
    label = "moderation"
    verbose_name = _("Modération")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's rule: receivers that import models connect once the app registry is ready.
        from . import signals  # noqa: F401
