from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = _("Espace candidat")

    def ready(self):
        # Django's rule: receivers that import models connect once the app registry is ready;
        # the space's links for the emails of calls and moderation (calls.links) register then.
        from calls import links as call_links

        from . import signals  # noqa: F401
        from .links import application_pdf_url, application_url

        call_links.register(call_links.SPACE, application_url)
        call_links.register(call_links.SPACE_PDF, application_pdf_url)
