"""The team's admin « Lauréats »: a Wagtail ModelViewSet (list with filters, the laureate's
page with its record, payments and history, creation by hand, edits) and the actions posted
from the laureate's page (a payment recorded or changed, leaving the network).

Django permissions decide everything (``laureates.view_laureate``, ``add_payment``,
``change_payment``, ``change_laureate``…): « Modérateurs » have them, reviewers none. Every
change writes the laureate's history (``services``).
"""

from decimal import Decimal

import django_filters
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect

from calls.fields import format_euros
from stories.taxonomy import Region

from . import progress_reports, retention, services
from .forms import LaureateForm, PaymentForm
from .models import Laureate, Payment, PaymentStatus, Report


class LaureateFilterSet(WagtailFilterSet):
    edition = django_filters.ChoiceFilter(label=gettext_lazy("Édition"), choices=[], empty_label=gettext_lazy("Toutes"))
    region = django_filters.ChoiceFilter(label=gettext_lazy("Région"), choices=Region.choices)
    member = django_filters.BooleanFilter(
        label=gettext_lazy("Membre du réseau"), field_name="left_at", lookup_expr="isnull", widget=BooleanRadioSelect
    )

    class Meta:
        model = Laureate
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editions = Laureate.objects.order_by("-edition").values_list("edition", flat=True).distinct()
        self.filters["edition"].extra["choices"] = [(year, str(year)) for year in editions]


class RecordSaveMixin:
    """Writes the history of a record created or edited in the admin (who, when, which fields)."""

    def save_instance(self):
        adding = self.form.instance.pk is None
        instance = super().save_instance()
        if adding:
            if instance.created_by_id is None:
                Laureate.objects.filter(pk=instance.pk).update(created_by=self.request.user)
            services.record_created_by_hand(instance, self.request.user)
        else:
            services.record_changes(instance, self.request.user, self.form.changed_data)
        return instance


class LaureateCreateView(RecordSaveMixin, generic.CreateView):
    pass


class LaureateEditView(RecordSaveMixin, generic.EditView):
    pass


class LaureateInspectView(generic.InspectView):
    """The laureate's page: the record, the payments with their totals and forms, the history."""

    template_name = "laureates/inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Laureate.objects.select_related("call", "story").prefetch_related(
                "coaching_areas",
                Prefetch("payments", queryset=Payment.objects.order_by("planned_on", "pk")),
                Prefetch(
                    "reports",
                    queryset=Report.objects.select_related("report_form").prefetch_related("files").order_by("sent_at"),
                ),
            ),
            pk=self.pk,
        )

    def get_page_title(self):
        return _("Fiche du lauréat")

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    def get_amount_awarded_display_value(self):
        return format_euros(self.object.amount_awarded) if self.object.amount_awarded is not None else "—"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        laureate = self.object
        payments = list(laureate.payments.all())
        user = self.request.user
        can_change_payments = user.has_perm("laureates.change_payment")
        paid = sum((p.amount for p in payments if p.status == PaymentStatus.PAYE), start=Decimal("0.00"))
        planned = sum((p.amount for p in payments if p.status != PaymentStatus.ANNULE), start=Decimal("0.00"))
        for payment in payments:
            payment.form = (
                PaymentForm(
                    prefix=f"versement-{payment.pk}",
                    initial={
                        "label": payment.label,
                        "planned_on": payment.planned_on,
                        "amount": f"{payment.amount}",
                        "paid_on": payment.paid_on,
                        "status": payment.status,
                    },
                )
                if can_change_payments
                else None
            )
        context.update(
            laureate=laureate,
            payments=payments,
            paid=paid,
            planned=planned,
            left_to_plan=(laureate.amount_awarded - planned) if laureate.amount_awarded is not None else None,
            payment_form=PaymentForm(prefix="nouveau") if user.has_perm("laureates.add_payment") else None,
            history=list(laureate.history.all()),
            can_leave=laureate.left_at is None and user.has_perm("laureates.change_laureate"),
            can_erase=laureate.contact_erased_at is None and user.has_perm("laureates.erase_laureate_contacts"),
            reports=[(report, progress_reports.shown_answers(report)) for report in laureate.reports.all()]
            if user.has_perm("laureates.view_report")
            else [],
            retention_months=settings.LAUREATES_CONTACT_RETENTION_MONTHS_AFTER_LEAVING,
        )
        return context


def _inspect_url(laureate_pk):
    return reverse("laureates:inspect", args=[laureate_pk])


def _refused(request, error):
    messages.error(request, " ".join(error.messages) + " " + _("Rien n'a été enregistré."))


@require_POST
def add_payment(request, pk):
    if not request.user.has_perm("laureates.add_payment"):
        raise PermissionDenied
    laureate = get_object_or_404(Laureate, pk=pk)
    form = PaymentForm(request.POST, prefix="nouveau")
    if not form.is_valid():
        _refused(request, ValidationError([m for errors in form.errors.values() for m in errors]))
        return redirect(_inspect_url(laureate.pk))
    try:
        services.record_payment(laureate, request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Versement enregistré."))
    return redirect(_inspect_url(laureate.pk))


@require_POST
def change_payment(request, pk, payment_pk):
    if not request.user.has_perm("laureates.change_payment"):
        raise PermissionDenied
    payment = get_object_or_404(Payment, pk=payment_pk, laureate_id=pk)
    form = PaymentForm(request.POST, prefix=f"versement-{payment.pk}")
    if not form.is_valid():
        _refused(request, ValidationError([m for errors in form.errors.values() for m in errors]))
        return redirect(_inspect_url(pk))
    try:
        services.change_payment(payment, request.user, **form.cleaned_data)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Versement modifié."))
    return redirect(_inspect_url(pk))


@require_POST
def leave_network(request, pk):
    if not request.user.has_perm("laureates.change_laureate"):
        raise PermissionDenied
    laureate = get_object_or_404(Laureate, pk=pk)
    if services.leave_network(laureate, request.user):
        messages.success(request, _("%(name)s a quitté le réseau.") % {"name": laureate.business_name})
    return redirect(_inspect_url(laureate.pk))


def erase_contact(request, pk):
    """Erase one laureate's contact data by hand (the person asked, or the team decided): the
    retention purge's own erasure (``retention.erase_contact``) with its history entry. GET
    shows what will be erased and asks to confirm; POST erases."""
    if not request.user.has_perm("laureates.erase_laureate_contacts"):
        raise PermissionDenied
    laureate = get_object_or_404(Laureate, pk=pk)
    if laureate.contact_erased_at is not None:
        messages.error(request, _("Les coordonnées de ce lauréat sont déjà effacées."))
        return redirect(_inspect_url(laureate.pk))
    if request.method == "POST":
        reason = _("Effacement demandé, fait à la main : personne à contacter, courriel, téléphone et adresse effacés.")
        if retention.erase_contact(laureate, user=request.user, reason=reason):
            messages.success(request, _("Coordonnées de %(name)s effacées.") % {"name": laureate.business_name})
        return redirect(_inspect_url(laureate.pk))
    return TemplateResponse(
        request,
        "laureates/admin/erase_contact.html",
        {"laureate": laureate, "inspect_url": _inspect_url(laureate.pk), "page_title": _("Effacer les coordonnées")},
    )


class LaureateViewSet(ModelViewSet):
    model = Laureate
    icon = "group"
    menu_label = gettext_lazy("Lauréats")
    menu_order = 210
    add_to_admin_menu = True
    url_prefix = "laureats"
    name = "laureates"
    form_fields = LaureateForm.Meta.fields
    filterset_class = LaureateFilterSet
    search_fields = ["business_name", "town"]
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = LaureateCreateView
    edit_view_class = LaureateEditView
    inspect_view_class = LaureateInspectView
    inspect_view_fields = [
        "business_name",
        "edition",
        "call",
        "town",
        "commune_code",
        "region",
        "business_kind",
        "qpv_summary",
        "amount_awarded",
        "story",
        "coaching_areas",
        "contact_name",
        "contact_email",
        "contact_phone",
        "address",
        "joined_at",
        "left_at",
        "contact_erased_at",
    ]
    list_display = [
        "business_name",
        "edition",
        "town",
        Column("region", label=gettext_lazy("Région"), accessor="get_region_display"),
        Column("amount", label=gettext_lazy("Montant accordé"), accessor="amount_display"),
        Column("member", label=gettext_lazy("Membre"), accessor="member_display"),
    ]

    def get_form_class(self, for_update=False):
        return LaureateForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/versements/", add_payment, name="add_payment"),
            path("<int:pk>/versements/<int:payment_pk>/", change_payment, name="change_payment"),
            path("<int:pk>/sortie/", leave_network, name="leave"),
            path("<int:pk>/effacer-coordonnees/", erase_contact, name="erase_contact"),
        ]


laureate_viewset = LaureateViewSet()
