from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The laureates' network: the agenda of sessions, registrations, attendance, resources and
    the members' directory."""

    name = "network"
    label = "network"
    verbose_name = _("Réseau des lauréats")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's rule: receivers that import models connect once the app registry is ready.
        # signals: the search index and the page cache; registration_signals: the publication
        # of a session (its sequence, the people told); registration_legal and directory_legal:
        # the privacy page's processings, registered once; registration_admin and
        # directory_hooks: admin pages in hooks modules of their own (Wagtail discovers
        # wagtail_hooks modules only), and so is team_hooks (the attendance's and resources'
        # admin); resources: the receiver deleting a deleted resource's file; space: the space's
        # links (applicants.space_links).
        from . import (  # noqa: F401
            directory,
            directory_hooks,
            directory_legal,
            registration_admin,
            registration_legal,
            registration_signals,
            resources,
            signals,
            space,
            team_hooks,
        )

        signals.connect()
        space.register_links()
        # The directory's profile goes with the laureate's contact data (laureates.retention).
        post_save.connect(
            directory.on_laureate_saved, sender="laureates.Laureate", dispatch_uid="network-directory-erased"
        )
