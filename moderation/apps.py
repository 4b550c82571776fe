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
        # Django's rule: receivers that import models connect once the app registry is ready;
        # the queue's link for the team's notification (calls.links) registers then.
        from calls import links as call_links

        from . import signals  # noqa: F401
        from .emails import application_team_url

        call_links.register(call_links.TEAM, application_team_url)
