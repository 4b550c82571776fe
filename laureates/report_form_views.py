"""The team's side of the periodic reports (« bilans »), in the admin:

- « Formulaires de bilan » (``/admin/laureats/bilans/``): a ``ModelViewSet`` of ``ReportForm``
  with its questions as an inline (the call form's field editor, checked by
  ``forms.ReportFormAdminForm``); each form's CSV and XLSX export of the reports sent
  (``progress_reports.spreadsheet_response``: typed cells, one sheet per repeatable section).
  The list shows per form its due date, how many of its call's laureates sent it, and the
  businesses (members of the network) that have not yet — names, never addresses — read for
  the whole page in two queries (``ReportFormIndexView.get_table``).
- A report's file, downloaded by the team (``view_report``).

Django permissions decide (``laureates.view_report`` to read and export, ``add_reportform`` /
``change_reportform`` / ``delete_reportform`` to build): « Modérateurs » hold them
(``groups.py``), reviewers none.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from calls.attachments.storage import download_response

from . import progress_reports
from .forms import ReportFormAdminForm
from .models import Laureate, Report, ReportFile, ReportForm

EXPORT_FORMATS = ("csv", "xlsx")


def _require_view(request):
    if not request.user.has_perm("laureates.view_report"):
        raise PermissionDenied


def export_view(request, pk, spreadsheet_format):
    _require_view(request)
    if spreadsheet_format not in EXPORT_FORMATS:
        raise Http404
    report_form = ReportForm.objects.filter(pk=pk).first()
    if report_form is None:
        raise Http404
    return progress_reports.spreadsheet_response(report_form, spreadsheet_format)


def report_file_view(request, pk):
    _require_view(request)
    report_file = ReportFile.objects.filter(pk=pk).first()
    if report_file is None:
        raise Http404
    return download_response(report_file.file, report_file.original_name, report_file.content_type)


class ExportColumn(Column):
    """The form's two export links."""

    cell_template_name = "laureates/admin/report_export_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["links"] = [
            (fmt.upper(), reverse("laureate_reports:export", args=[instance.pk, fmt])) for fmt in EXPORT_FORMATS
        ]
        return context


def follow_up(report_forms):
    """Set on each form ``due_display``, ``sent_display`` (« 2 sur 3 ») and
    ``missing_names``: its call's members that have not sent it, by business name."""
    forms = list(report_forms)
    members = {}
    for pk, call_id, name in (
        Laureate.objects.members()
        .filter(call_id__in={report_form.call_id for report_form in forms})
        .order_by("business_name", "pk")
        .values_list("pk", "call_id", "business_name")
    ):
        members.setdefault(call_id, []).append((pk, name))
    sent = set(Report.objects.filter(report_form__in=forms).values_list("report_form_id", "laureate_id"))
    for report_form in forms:
        missing = [name for pk, name in members.get(report_form.call_id, []) if (report_form.pk, pk) not in sent]
        report_form.missing_names = missing
        report_form.sent_count = sum(1 for form_pk, _laureate in sent if form_pk == report_form.pk)
        report_form.sent_display = _("%(sent)s sur %(total)s") % {
            "sent": report_form.sent_count,
            "total": report_form.sent_count + len(missing),
        }
        report_form.due_display = date_format(report_form.due_on, "j F Y") if report_form.due_on else "—"
    return forms


class MissingColumn(Column):
    """The businesses that have not sent the report yet."""

    cell_template_name = "laureates/admin/report_missing_cell.html"


class ReportFormIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("call")

    def get_table(self, object_list):
        return super().get_table(follow_up(object_list))


class ReportFormDeleteView(generic.DeleteView):
    """A form that has reports is kept (its reports name it): refused in French."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _(
                    "Ce formulaire a déjà reçu des bilans : il ne peut pas être supprimé. "
                    "Décochez « ouvert » pour le clore."
                ),
            )
            return HttpResponseRedirect(reverse("laureate_reports:index"))


class ReportFormViewSet(ModelViewSet):
    model = ReportForm
    icon = "form"
    menu_label = _("Formulaires de bilan")
    add_to_admin_menu = True
    menu_order = 212
    url_prefix = "laureats/bilans"
    name = "laureate_reports"
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = ReportFormIndexView
    delete_view_class = ReportFormDeleteView
    edit_handler = ObjectList(ReportForm.panels, base_form_class=ReportFormAdminForm)
    list_display = [
        "title",
        "call",
        Column("due_on", label=_("À envoyer avant le"), accessor="due_display"),
        Column("sent", label=_("Bilans reçus"), accessor="sent_display"),
        MissingColumn("missing", label=_("Pas encore envoyé"), accessor="missing_names"),
        BooleanColumn("is_open", label=_("Ouvert")),
        ExportColumn("export", label=_("Export")),
    ]
    search_fields = ["title"]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/export/<str:spreadsheet_format>/", export_view, name="export"),
            path("fichiers/<int:pk>/", report_file_view, name="file"),
        ]


report_form_viewset = ReportFormViewSet()
