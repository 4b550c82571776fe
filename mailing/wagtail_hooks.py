"""The list in the admin, for moderators: the subscribers (filters by state, role, région),
their counts above the listing, and Wagtail's CSV / XLSX export of the filtered list.

Nobody adds or edits a subscriber here (a sign-up needs the person's own confirmation): the
permission policy grants « view » and « delete » only, through Django's model permissions
(the « Modérateurs » group gets them in ``mailing/migrations``).
https://docs.wagtail.org/en/stable/reference/viewsets.html#modelviewset
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import report
from .models import Subscriber


class ViewAndDeleteOnly(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ("view", "delete") and super().user_has_permission(user, action)


class SubscriberFilterSet(WagtailFilterSet):
    confirmed = django_filters.BooleanFilter(
        label=_("confirmée"), field_name="confirmed_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Subscriber
        fields = ["role", "region"]


class SubscriberIndexView(IndexView):
    template_name = "mailing/admin/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = report.counts()
        return context


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Liste « prévenez-moi »")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = SubscriberIndexView
    filterset_class = SubscriberFilterSet
    form_fields = ["region", "role"]
    list_display = [
        "email",
        Column("role", label=_("profil"), accessor="get_role_display"),
        Column("region", label=_("région"), accessor="get_region_display"),
        DateColumn("confirmed_at", label=_("confirmée le")),
        DateColumn("created_at", label=_("inscrite le")),
    ]
    list_export = [
        "email",
        "role",
        "region",
        "confirmed_at",
        "created_at",
        "last_renewed_at",
        "consent_version",
        "consent_at",
    ]
    export_filename = "liste-prevenez-moi"
    search_fields = ["email"]
    ordering = ["-created_at"]


register_permission_policy(Subscriber, ViewAndDeleteOnly(Subscriber))


@hooks.register("register_admin_viewset")
def register_subscriber_viewset():
    return SubscriberViewSet("mailing_subscribers")
