"""Admin hooks of the laureates: the « Lauréats » menu (``views.LaureateViewSet``), the
coaching areas as a snippet, the report forms (``report_form_views``), and the money panel on the dashboard.
https://docs.wagtail.org/en/stable/reference/hooks.html
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .dashboard import MoneyPanel, can_see_money
from .models import CoachingArea
from .report_form_views import report_form_viewset
from .views import laureate_viewset


@hooks.register("register_admin_viewset")
def register_laureates():
    return laureate_viewset


@hooks.register("register_admin_viewset")
def register_report_forms():
    """« Formulaires de bilan »: the periodic reports built per call, their exports."""
    return report_form_viewset


class CoachingAreaViewSet(SnippetViewSet):
    model = CoachingArea
    icon = "list-ul"
    menu_label = _("Domaines d'accompagnement")
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]


register_snippet(CoachingAreaViewSet)


@hooks.register("construct_homepage_panels")
def add_money_panel(request, panels):
    """Per call and per région: envelope, committed, paid, remaining (moderators)."""
    if can_see_money(request.user):
        panels.append(MoneyPanel())
