from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "mailing"
    verbose_name = _("Liste « prévenez-moi »")

    def ready(self):
        # The privacy page's processing and the home page's sign-up box import this app's
        # models and the calls', which can only be imported once the app registry is ready
        # (Django's rule for ready()).
        from home.sections import register

        from . import legal  # noqa: F401
        from .sections import signup_section

        register("mailing/includes/home_signup.html", signup_section, order=30, stylesheet="calls/calls.css")
