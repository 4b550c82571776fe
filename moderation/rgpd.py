"""Applicants' personal data (RGPD): how long it is kept, one applicant's export, erasure.

Retention: ``CALLS_RETENTION_MONTHS`` (24 by default) after the call closes;
``CALLS_RETENTION_MONTHS_NOT_SELECTED`` (6 by default) for applications not selected
(non retenue, retirée, spam). ``purge_applications`` erases what is beyond it.

Erasing keeps the application row with its anonymous statistics (call, region, kind of
business, status, dates, reference) and removes everything else: name, email, business
name, town, every answer, the files (from the storage, once the deletion is committed),
the search text and the reviewers' comments. The erasure is recorded in the history,
without the erased data.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from calls import drafts
from calls.models import Application, Draft, Status, status_label

from .models import Decision, HistoryEntry, Review, SearchEntry

NOT_SELECTED = (Status.NON_RETENUE, Status.RETIREE)

# Sent after personal data is erased (an application, or the purge of old applications and
# drafts), after the erasure's own transaction: the layers above that keep their own record of an address (the
# applicant's sign-in account, applicants/) forget it when nothing holds it any more.
personal_data_erased = Signal()


def retention_months():
    return settings.CALLS_RETENTION_MONTHS


def retention_months_not_selected():
    return settings.CALLS_RETENTION_MONTHS_NOT_SELECTED


def months_before(moment, months):
    """``moment`` minus ``months`` calendar months (the day clamped to the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def erased_filter():
    return Exists(HistoryEntry.objects.filter(application=OuterRef("pk"), kind=HistoryEntry.Kind.ERASURE))


def is_erased(application):
    return HistoryEntry.objects.filter(application=application, kind=HistoryEntry.Kind.ERASURE).exists()


def due_for_erasure(now=None):
    """Applications whose call closed more than the retention period ago, not erased yet."""
    now = now or timezone.now()
    long_cutoff = months_before(now, retention_months())
    short_cutoff = months_before(now, retention_months_not_selected())
    not_selected = Q(status__in=NOT_SELECTED) | Q(is_spam=True)
    return (
        Application.objects.annotate(erased=erased_filter())
        .filter(erased=False)
        .filter((not_selected & Q(page__closes_at__lt=short_cutoff)) | Q(page__closes_at__lt=long_cutoff))
        .select_related("page")
        .order_by("page__closes_at", "pk")
    )


def rgpd_answer(answer):
    """One answer of the export; a repeatable section also gives its entries, each a dict
    of « question : réponse » in the form's order."""
    item = {"question": answer.get("label", ""), "reponse": answer.get("display", "")}
    if answer.get("type") == "group":
        fields = answer.get("fields") or []
        item["entrees"] = [
            {field["label"]: entry.get(field["key"], "") for field in fields} for entry in answer.get("entries") or []
        ]
    return item


def applicant_data(application, user):
    """Everything the application holds about its applicant, as a JSON-ready dict.
    The export itself is recorded in the history."""
    data = {
        "reference": application.reference,
        "appel": application.page.title,
        "envoyee_le": timezone.localtime(application.submit_time).isoformat(),
        "statut": str(status_label(application.status)),
        "nom": application.applicant_name,
        "courriel": application.applicant_email,
        "commerce": application.business_name,
        "commune": application.town,
        "region": application.get_region_display() if application.region else "",
        "type_de_commerce": application.get_business_kind_display() if application.business_kind else "",
        "reponses": [rgpd_answer(answer) for answer in application.answers()],
        "pieces_jointes": [
            {"nom": attachment.display_name, "type": attachment.content_type, "taille": attachment.size}
            for attachment in application.attachments.all()
        ],
    }
    HistoryEntry.objects.create(
        application=application,
        kind=HistoryEntry.Kind.DATA_EXPORT,
        user=user,
        comment=_("Données du candidat exportées à sa demande."),
    )
    return data


def erase(application, user=None, reason=""):
    """Erase ``application``'s personal data; return the number of files removed."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        files = list(locked.attachments.all())
        for attachment in files:
            # The calls app's post_delete signal removes the file once this is committed.
            attachment.delete()
        Application.objects.filter(pk=locked.pk).update(
            applicant_name="",
            applicant_email="",
            business_name="",
            town="",
            form_data={},
            # The business's point and commune locate it as its address does (the QPV stays).
            commune_code="",
            latitude=None,
            longitude=None,
        )
        SearchEntry.objects.filter(application_id=locked.pk).update(text=locked.reference.lower())
        Review.objects.filter(application_id=locked.pk).update(comment="")
        # The history keeps what happened, not what the applicant wrote (their answers to a
        # request for information) nor the address a decision was emailed to.
        HistoryEntry.objects.filter(
            application_id=locked.pk,
            kind__in=(
                HistoryEntry.Kind.APPLICANT_ANSWER,
                HistoryEntry.Kind.EMAIL_SENT,
                HistoryEntry.Kind.CORRECTION_REQUEST,
            ),
        ).update(comment="")
        Decision.objects.filter(application_id=locked.pk).update(email_to="")
        HistoryEntry.objects.create(
            application_id=locked.pk,
            kind=HistoryEntry.Kind.ERASURE,
            user=user,
            comment=reason.strip()
            or _("Données personnelles effacées (%(count)s fichier(s) supprimé(s)).") % {"count": len(files)},
        )
    application.refresh_from_db()
    personal_data_erased.send(sender=Application)
    return len(files)


def erase_applicant(email, user=None, reason=""):
    """Erase everything an address holds: each of its applications not erased yet (``erase``,
    with its history entry) and its drafts with their files. Each application is locked and
    checked first, so two requests at once erase it once. Returns the references erased and
    the number of drafts deleted."""
    references = []
    for pk in Application.objects.filter(applicant_email__iexact=email).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            application = Application.objects.select_for_update().filter(pk=pk).first()
            if application is None or is_erased(application):
                continue
            erase(application, user, reason=reason)
            references.append(application.reference)
    removed = 0
    for draft in Draft.objects.filter(email__iexact=email):
        drafts.discard(draft)
        removed += 1
    if removed:
        # ``erase`` sent it while drafts were left: an address left with nothing loses its account.
        personal_data_erased.send(sender=Draft)
    return references, removed


def anonymous_statistics(queryset=None):
    """Counts by call, region, kind and status: what stays once the data is erased."""
    queryset = Application.objects.all() if queryset is None else queryset
    return list(
        queryset.values("page__title", "region", "business_kind", "status")
        .annotate(count=Count("pk"))
        .order_by("page__title", "region", "business_kind", "status")
    )
