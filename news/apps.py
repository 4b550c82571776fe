from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Actualités")

    def ready(self):
        # sections imports this app's models, which can only be imported once the app
        # registry is ready (Django's rule for ready()).
        from home.sections import register

        from .sections import latest_news

        register("news/includes/latest_news.html", latest_news, order=20)
