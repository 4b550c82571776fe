"""The sponsor's report in the admin (``laureates/report.py``): the list of editions, the
printable page, its XLSX and its PDF. Moderators with the laureates' view permission only;
anyone else signed in to the admin (a reviewer, an editor) gets the site's 403 page (not
Wagtail's redirect to the dashboard: a refused download must not look like a page), and an
unknown call a 404."""

import functools

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from calls.models import CallPage
from home.views import permission_denied
from moderation import access
from moderation.export import XLSX_TYPE

from .report import report_pdf, report_xlsx, sponsor_report


def can_see_reports(user):
    return access.is_moderator(user) and user.has_perm("laureates.view_laureate")


def moderators_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_see_reports(request.user):
            return permission_denied(request)
        return view(request, *args, **kwargs)

    return wrapped


def _report(pk):
    call = CallPage.objects.filter(pk=pk).first()
    if call is None:
        raise Http404
    return sponsor_report(call)


def _file(content, content_type, report, extension):
    response = HttpResponse(content, content_type=content_type)
    name = f"rapport-mecene-{report.edition}-{report.call.slug}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@moderators_only
def index_view(request):
    calls = CallPage.objects.order_by("-opens_at", "title")
    return TemplateResponse(
        request,
        "laureates/report_index.html",
        {"calls": [(call, reverse("laureates_reports:report", args=[call.pk])) for call in calls]},
    )


@moderators_only
def report_view(request, pk):
    report = _report(pk)
    return TemplateResponse(
        request,
        "laureates/report.html",
        {
            "report": report,
            "index_url": reverse("laureates_reports:index"),
            "xlsx_url": reverse("laureates_reports:xlsx", args=[pk]),
            "pdf_url": reverse("laureates_reports:pdf", args=[pk]),
            "title": _("Rapport au mécène : édition %(edition)s") % {"edition": report.edition},
        },
    )


@moderators_only
def xlsx_view(request, pk):
    report = _report(pk)
    return _file(report_xlsx(report), XLSX_TYPE, report, "xlsx")


@moderators_only
def pdf_view(request, pk):
    report = _report(pk)
    return _file(report_pdf(report), "application/pdf", report, "pdf")


app_name = "laureates_reports"
urlpatterns = [
    path("", index_view, name="index"),
    path("<int:pk>/", report_view, name="report"),
    path("<int:pk>/rapport.xlsx", xlsx_view, name="xlsx"),
    path("<int:pk>/rapport.pdf", pdf_view, name="pdf"),
]
