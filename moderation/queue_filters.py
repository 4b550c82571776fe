"""The filters of the applications' queue, as Django's ``SimpleListFilter`` (Django's admin
API, not the queue's framework): call, status, région, QPV, kind of business, reviewer, spam,
« à vérifier », applicant's answers, sent. ``queue.py`` lists them on its list view. Moving
the queue to Wagtail's ModelViewSet turns each into a django-filter filter whose
``queryset`` method stays as written here."""

import datetime

from django.contrib.admin import SimpleListFilter
from django.utils.timezone import localtime, now
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls import qpv_check
from calls.models import CallPage, Status
from stories.taxonomy import BusinessKind, Region

from .reviews import eligible_reviewers


class CallFilter(SimpleListFilter):
    all_label = gettext_lazy("Tous")
    title = gettext_lazy("appel")
    parameter_name = "call"

    def lookups(self, request, model_admin):
        # The list builds the filters twice per request (list and counts): read once.
        if not hasattr(request, "_moderation_calls"):
            calls = CallPage.objects.order_by("-closes_at").values_list("pk", "title")
            request._moderation_calls = [(str(pk), title) for pk, title in calls]
        return request._moderation_calls

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(page_id=int(self.value()))
        return queryset


class StatusFilter(SimpleListFilter):
    all_label = gettext_lazy("Tous")
    title = gettext_lazy("statut")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset


class RegionFilter(SimpleListFilter):
    all_label = gettext_lazy("Toutes")
    title = gettext_lazy("région")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return Region.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(region=self.value())
        return queryset


class QpvFilter(SimpleListFilter):
    """The QPV check stored with the application (calls/qpv_check.py)."""

    title = gettext_lazy("QPV")
    all_label = gettext_lazy("Toutes")
    parameter_name = "qpv"

    def lookups(self, request, model_admin):
        return [
            ("in", _("en QPV")),
            ("near", _("à moins de %(n)s m") % {"n": qpv_check.NEAR_DISTANCE_M}),
            ("beyond", _("au-delà")),
            ("commune", _("adresse non localisée (commune seule)")),
        ]

    def queryset(self, request, queryset):
        return qpv_check.filter_band(queryset, self.value())


class KindFilter(SimpleListFilter):
    all_label = gettext_lazy("Tous")
    title = gettext_lazy("type de commerce")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return BusinessKind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(business_kind=self.value())
        return queryset


class ReviewerFilter(SimpleListFilter):
    all_label = gettext_lazy("Tous")
    title = gettext_lazy("évaluateur")
    parameter_name = "reviewer"

    def lookups(self, request, model_admin):
        if not hasattr(request, "_moderation_reviewers"):
            request._moderation_reviewers = [
                (str(user.pk), user.get_full_name() or user.get_username()) for user in eligible_reviewers()
            ] + [("none", _("Aucun évaluateur"))]
        return request._moderation_reviewers

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(assignments__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(assignments__reviewer_id=int(self.value()))
        return queryset


class SpamFilter(SimpleListFilter):
    """Spam stays out of the queue unless asked for."""

    # The default choice hides spam: the list says how many are hidden, with a link to them.
    title = gettext_lazy("indésirables")
    all_label = gettext_lazy("Masquées")
    parameter_name = "spam"

    def lookups(self, request, model_admin):
        return [("1", _("Seules")), ("all", _("Affichées avec les autres"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(is_spam=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(is_spam=False)


class CheckFilter(SimpleListFilter):
    """Applications marked « à vérifier » (many from one address, calls/submission.py).

    They are not spam and stay in the default list; this narrows the list to them."""

    title = gettext_lazy("vérification")
    all_label = gettext_lazy("Toutes")
    parameter_name = "check"

    def lookups(self, request, model_admin):
        return [("1", _("À vérifier seulement"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(needs_check=True)
        return queryset


class AnswerFilter(SimpleListFilter):
    """Applications whose applicant answered a request for information that no moderator has
    opened since (``UnreadAnswer``; opening the application clears it)."""

    title = gettext_lazy("réponse du candidat")
    all_label = gettext_lazy("Toutes")
    parameter_name = "reponse"

    def lookups(self, request, model_admin):
        return [("1", _("Réponse reçue, pas encore ouverte"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(answer_waiting=True)
        return queryset


class SentFilter(SimpleListFilter):
    """When the application was sent, in Paris time (replaces Django's date filter, whose
    « Any date » and « Par Horodatage de soumission » read badly here)."""

    title = gettext_lazy("date d'envoi")
    all_label = gettext_lazy("Toutes les dates")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Aujourd'hui")),
            ("week", _("Les 7 derniers jours")),
            ("month", _("Ce mois-ci")),
            ("year", _("Cette année")),
        ]

    def start(self):
        today = localtime(now()).replace(hour=0, minute=0, second=0, microsecond=0)
        return {
            "today": today,
            "week": today - datetime.timedelta(days=6),
            "month": today.replace(day=1),
            "year": today.replace(month=1, day=1),
        }.get(self.value())

    def queryset(self, request, queryset):
        start = self.start()
        if start is not None:
            return queryset.filter(submit_time__gte=start)
        return queryset
