"""Admin hooks: a call that has applications cannot be deleted.

``Application.page`` is ``on_delete=PROTECT``; without these hooks, deleting such a call
(or the index above it) would end in a server error. The editor is told why instead.
https://docs.wagtail.org/en/stable/reference/hooks.html#before-delete-page
"""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages

from .models import Application


def applications_under(pages):
    """Applications to the given pages or to any page below them."""
    pages = list(pages)
    if not pages:
        return Application.objects.none()
    from wagtail.models import Page

    page_ids = set()
    for page in pages:
        page_ids.update(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    return Application.objects.filter(page_id__in=page_ids)


def refusal_message(count):
    return ngettext(
        "Cet appel a reçu %(count)s candidature : il ne peut pas être supprimé. "
        "Dépubliez-le pour le retirer du site ; les candidatures restent consultables.",
        "Cet appel a reçu %(count)s candidatures : il ne peut pas être supprimé. "
        "Dépubliez-le pour le retirer du site ; les candidatures restent consultables.",
        count,
    ) % {"count": count}


@hooks.register("before_delete_page")
def refuse_deleting_calls_with_applications(request, page):
    count = applications_under([page]).count()
    if count:
        messages.error(request, refusal_message(count))
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_calls_with_applications(request, action_type, objects, action_class_instance):
    if action_type != "delete" or getattr(action_class_instance, "model", None) is None:
        return None
    from wagtail.models import Page

    if not issubclass(action_class_instance.model, Page):
        return None
    count = applications_under(objects).count()
    if count:
        messages.error(request, _("Suppression impossible.") + " " + refusal_message(count))
        return redirect("wagtailadmin_explore_root")
    return None
