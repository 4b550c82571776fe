"""The moderation queue in the Wagtail admin (menu « Candidatures », /admin/moderation/).

This is the only module that knows wagtail-modeladmin (with its two templates,
``moderation/index.html`` and ``moderation/inspect.html``, which extend modeladmin's). It
gives the list (filters, search, ordering, pagination, export, bulk selection) and the
inspect view, under the project's own URL names in the ``moderation`` namespace:

- ``moderation:queue``: the list;
- ``moderation:application`` (pk): one application.

Everything else (views, emails, dashboard, templates, tests) reverses those names and never
a modeladmin name. The actions (transitions, assignments, reviews, downloads, export of one
applicant's data, erasure, story) are plain Django views in ``moderation/views.py``
(inspect, attachments, transitions), ``decision_views.py``, ``review_views.py`` and
``record_views.py``; the queue's filters in ``queue_filters.py``; the rules in
``moderation/access.py``.

Moving the queue to Wagtail's own ``ModelViewSet`` (wagtail-modeladmin is in maintenance
mode) would change this module, its filters (``queue_filters.py``) and its two templates only:
- ``ApplicationAdmin`` becomes a ``ModelViewSet`` (``IndexView`` with ``list_filter`` as a
  django-filter ``FilterSet`` calling the querysets of ``queue_filters.py``, ``list_display``
  columns, ``InspectView``; the bulk selection and spreadsheet export map to Wagtail's own
  ``list_export`` and bulk actions);
- ``urlpatterns()`` returns the viewset's URLs named ``queue`` and ``application``, so no
  caller changes; the menu item and the permissions registered by ``register()`` come from
  the viewset's ``menu_label`` and ``register_permissions`` hook;
- the templates extend ``wagtailadmin/generic/index.html`` and ``.../inspect.html``.

The list costs a fixed number of SQL queries per page: the average score is a correlated
subquery, whether the current reviewer has scored is an ``Exists``, and the reviewers are
prefetched. https://github.com/wagtail-nest/wagtail-modeladmin
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, OuterRef, Prefetch, When
from django.http import Http404
from django.urls import path, re_path, reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail_modeladmin.helpers import AdminURLHelper, ButtonHelper, PermissionHelper
from wagtail_modeladmin.helpers.search import BaseSearchHandler
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView, InspectView

from calls import qpv_check
from calls.models import Application, Status, status_label

from . import access, export
from .models import Assignment, Review, UnreadAnswer
from .queue_filters import (
    AnswerFilter,
    CallFilter,
    CheckFilter,
    KindFilter,
    QpvFilter,
    RegionFilter,
    ReviewerFilter,
    SentFilter,
    SpamFilter,
    StatusFilter,
)
from .reviews import average_score_subquery, eligible_reviewers
from .search import search_filter
from .views import application_context

# --- Helpers ------------------------------------------------------------------------------

# modeladmin's action → the project's URL name (in the ``moderation`` namespace). Nobody
# creates, edits or deletes an application, so those actions have no URL at all.
URL_NAMES = {"index": "queue", "inspect": "application"}


class ApplicationURLHelper(AdminURLHelper):
    """modeladmin's links (list, « Ouvrir », filters, search) use the project's URL names."""

    def get_action_url_name(self, action):
        return f"moderation:{URL_NAMES[action]}"


class ApplicationPermissionHelper(PermissionHelper):
    """Nobody creates, edits or deletes an application here; who lists and opens what is
    ``access``'s business (the inspect view checks the object itself)."""

    def get_all_model_permissions(self):
        return Permission.objects.filter(content_type__app_label="moderation", content_type__model="moderationrights")

    def user_can_list(self, user):
        return access.can_list(user)

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return access.can_list(user)

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class ApplicationButtonHelper(ButtonHelper):
    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button.update(label=_("Ouvrir"), title=_("Ouvrir la candidature"))
        return button

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        if "inspect" in (exclude or []):
            return []
        return [self.inspect_button(obj.pk, classnames_add, classnames_exclude)]


class ApplicationSearchHandler(BaseSearchHandler):
    """Reference, name, email and the answers' text (accents and case ignored)."""

    def search_queryset(self, queryset, search_term, **kwargs):
        if not search_term.strip():
            return queryset
        return queryset.filter(search_filter(search_term[:200]))

    @property
    def show_search_form(self):
        return True


# --- Views --------------------------------------------------------------------------------


class ApplicationIndexView(IndexView):
    def as_spreadsheet(self, queryset, spreadsheet_format):
        if not access.can_export(self.request.user):
            raise PermissionDenied
        return export.spreadsheet_response(queryset, spreadsheet_format)

    def filter_menus(self):
        """The filters as compact dropdowns (one ``<select>`` each, sent by one button)
        instead of modeladmin's long lists of links."""
        return [
            {
                "name": spec.parameter_name,
                "title": spec.title,
                "all_label": spec.all_label,
                "choices": [(str(value), label) for value, label in spec.lookup_choices],
                "value": spec.value() or "",
            }
            for spec in self.filter_specs
        ]

    def hidden_spam(self):
        """``(count, url)``: the spam the default list hides under the other filters and the
        search, and the link that lists it; ``(0, "")`` when nothing is hidden."""
        specs = [spec for spec in self.filter_specs if isinstance(spec, SpamFilter)]
        if not specs or specs[0].value() in ("1", "all"):
            return 0, ""
        queryset = self.model_admin.get_queryset(self.request)
        for spec in self.filter_specs:
            if spec is not specs[0]:
                queryset = spec.queryset(self.request, queryset)
        queryset = self.get_search_results(self.request, queryset.filter(is_spam=True), self.query)
        count = queryset.count()
        return count, (self.get_query_string({"spam": "1"}) if count else "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop("export", None)
        bulk_statuses = [(code, label) for code, label in Status.choices if code != Status.RECUE]
        spam_count, spam_url = self.hidden_spam()
        context.update(
            filter_menus=self.filter_menus(),
            filters_active=any(spec.value() for spec in self.filter_specs),
            hidden_params=[(name, self.params[name]) for name in ("q", "o") if self.params.get(name)],
            spam_count=spam_count,
            spam_url=spam_url,
            can_bulk=access.can_decide(user) or access.can_assign(user),
            can_decide=access.can_decide(user),
            can_assign=access.can_assign(user),
            can_export=access.can_export(user),
            bulk_statuses=bulk_statuses,
            reviewers=list(eligible_reviewers()) if access.can_assign(user) else [],
            export_csv=f"?{query.urlencode()}&export=csv" if query else "?export=csv",
            export_xlsx=f"?{query.urlencode()}&export=xlsx" if query else "?export=xlsx",
            bulk_url=reverse("moderation:bulk"),
            ranking_url=(
                reverse("moderation:ranking", args=[int(query["call"])])
                if access.is_moderator(user) and query.get("call", "").isdigit()
                else ""
            ),
            announce_url=(
                reverse("moderation:announce", args=[int(query["call"])])
                if access.can_decide(user) and query.get("call", "").isdigit()
                else ""
            ),
        )
        return context


class ApplicationInspectView(InspectView):
    def get_page_title(self):
        return _("Candidature")

    def get_page_subtitle(self):
        return self.instance.reference

    def get_meta_title(self):
        return _("Candidature %(reference)s") % {"reference": self.instance.reference}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(application_context(self.request, self.instance))
        return context


# --- The model admin ----------------------------------------------------------------------


class ApplicationAdmin(ModelAdmin):
    model = Application
    menu_label = gettext_lazy("Candidatures")
    menu_icon = "form"
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    history_view_enabled = False
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    index_template_name = "moderation/index.html"
    inspect_template_name = "moderation/inspect.html"
    permission_helper_class = ApplicationPermissionHelper
    url_helper_class = ApplicationURLHelper
    button_helper_class = ApplicationButtonHelper
    search_handler_class = ApplicationSearchHandler
    list_per_page = 50
    list_display_add_buttons = "reference"
    ordering = ["-submit_time"]
    index_view_extra_css = ["moderation/moderation.css"]
    inspect_view_extra_css = ["moderation/moderation.css"]
    export_filename = "candidatures"

    def get_admin_urls_for_registration(self):
        # The URLs are the project's (``urlpatterns()``, in the ``moderation`` namespace),
        # not modeladmin's generated ``calls_application_modeladmin_*``.
        return ()

    def get_list_display(self, request):
        columns = ["reference", "call", "applicant", "commune", "region", "business_kind", "status_label"]
        columns += ["submitted", "reviewers", "average_score"]
        # Last: the list's ordering (?o=) numbers the columns; earlier ones keep their number.
        columns.append("qpv")
        if access.can_decide(request.user) or access.can_assign(request.user):
            columns.insert(0, "select")
        return columns

    def get_list_filter(self, request):
        filters = [CallFilter, StatusFilter, AnswerFilter, CheckFilter, RegionFilter, QpvFilter, KindFilter]
        if access.is_moderator(request.user):
            filters.append(ReviewerFilter)
        filters.append(SentFilter)
        if access.is_moderator(request.user):
            filters.append(SpamFilter)
        return filters

    def get_search_fields(self, request):
        return ["reference", "applicant_name", "applicant_email", "answers"]

    def get_queryset(self, request):
        user = request.user
        scored = Review.objects.filter(
            application=OuterRef("pk"), reviewer_id=user.pk, conflict_of_interest=False, weighted_score__isnull=False
        )
        queryset = access.applications_for(user)
        if request.GET.get("export") not in ("csv", "xlsx"):
            # The answers are only read by the export; a page of the list does not load them.
            queryset = queryset.defer("form_data")
        queryset = (
            queryset.select_related("page", "decision")
            .prefetch_related(
                Prefetch("assignments", queryset=Assignment.objects.select_related("reviewer").order_by("pk"))
            )
            .annotate(
                scored_by_me=Exists(scored),
                answer_waiting=Exists(UnreadAnswer.objects.filter(application=OuterRef("pk"))),
            )
        )
        if access.is_moderator(user):
            return queryset.annotate(average=average_score_subquery())
        # A reviewer sees (and can sort by) the average only once they have scored.
        average = Case(When(scored_by_me=True, then=average_score_subquery()), default=None)
        return queryset.filter(is_spam=False).annotate(average=average)

    def inspect_view(self, request, instance_pk):
        """Only an application the user may open: another's assignment is not found."""
        if not access.can_list(request.user):
            raise PermissionDenied
        if access.visible_application(request.user, instance_pk) is None:
            raise Http404
        if access.is_moderator(request.user):
            # A moderator opened it: the applicant's answer is no longer « reçue » unread.
            UnreadAnswer.objects.filter(application_id=instance_pk).delete()
        return super().inspect_view(request, instance_pk)

    # --- columns ---

    @staticmethod
    def _user_name(user):
        return user.get_full_name() or user.get_username()

    def select(self, obj):
        return format_html(
            '<input type="checkbox" name="ids" value="{}" form="bulk-form" aria-label="{}">',
            obj.pk,
            _("Sélectionner %(reference)s") % {"reference": obj.reference},
        )

    select.short_description = gettext_lazy("Sélection")

    def call(self, obj):
        return obj.page.title

    call.short_description = gettext_lazy("appel")
    call.admin_order_field = "page__title"

    def applicant(self, obj):
        # <bdi>: a name with bidirectional control characters never reorders the row's text.
        if obj.business_name and obj.applicant_name:
            return format_html("<bdi>{}</bdi><br><small><bdi>{}</bdi></small>", obj.applicant_name, obj.business_name)
        if obj.applicant_name or obj.business_name:
            return format_html("<bdi>{}</bdi>", obj.applicant_name or obj.business_name)
        return "—"

    applicant.short_description = gettext_lazy("candidat")
    applicant.admin_order_field = "applicant_name"

    def commune(self, obj):
        return format_html("<bdi>{}</bdi>", obj.town) if obj.town else "—"

    commune.short_description = gettext_lazy("commune")
    commune.admin_order_field = "town"

    def qpv(self, obj):
        short = qpv_check.short_text(obj)
        if not short:
            return "—"
        title, detail = short
        return format_html("{}<br><small>{}</small>", title, detail) if detail else title

    qpv.short_description = gettext_lazy("QPV")
    qpv.admin_order_field = "qpv_distance_m"

    def status_label(self, obj):
        label = status_label(obj.status)
        decision = getattr(obj, "decision", None) if hasattr(obj, "decision") else None
        if decision is not None and decision.announced_at is None:
            label = format_html(
                '{} <small class="moderation-staged">({})</small>',
                label,
                _("décision préparée : %(status)s") % {"status": status_label(decision.outcome)},
            )
        if getattr(obj, "answer_waiting", False):
            label = format_html('{} <strong class="moderation-answer">{}</strong>', label, _("Réponse reçue"))
        if obj.is_spam:
            label = format_html("{} <small>({})</small>", label, _("indésirable"))
        if obj.needs_check:
            # The reason is on the application's page; the list only says to look.
            label = format_html('{} <small class="moderation-check">({})</small>', label, _("à vérifier"))
        return label

    status_label.short_description = gettext_lazy("statut")
    status_label.admin_order_field = "status"

    def submitted(self, obj):
        return date_format(localtime(obj.submit_time), "j M Y H:i")

    submitted.short_description = gettext_lazy("reçue le")
    submitted.admin_order_field = "submit_time"

    def reviewers(self, obj):
        names = [(self._user_name(a.reviewer),) for a in obj.assignments.all()]
        if not names:
            return "—"
        return format_html_join(", ", "{}", names)

    reviewers.short_description = gettext_lazy("évaluateurs")

    def average_score(self, obj):
        if obj.average is None:
            return "—"
        return f"{number_format(obj.average, 2)} / 5"

    average_score.short_description = gettext_lazy("note moyenne")
    average_score.admin_order_field = "average"

    def get_extra_attrs_for_row(self, obj, context):
        return {"data-reference": obj.reference}


# --- Registration -------------------------------------------------------------------------

application_admin = ApplicationAdmin()


def register():
    """The « Candidatures » menu item and the queue's permissions in the group editor."""
    application_admin.register_with_wagtail()


def urlpatterns():
    """The list and the inspect view, to include in the ``moderation`` namespace."""
    return [
        path("", application_admin.index_view, name="queue"),
        # modeladmin's views take the pk as text (they unquote it).
        re_path(r"^application/(?P<instance_pk>[0-9]+)/$", application_admin.inspect_view, name="application"),
    ]
