"""Admin hooks of the calls.

- A call that has applications cannot be deleted: ``Application.page`` is
  ``on_delete=PROTECT``; without these hooks, deleting such a call (or the index above it)
  would end in a server error. The editor is told why instead.
- « Dupliquer l'appel »: ``duplicate.py`` asks for the new title, address and dates, then
  Wagtail's page copy (as a draft), which copies the call's form fields, scoring
  criteria, decision texts, targets and notification settings (its child relations and
  fields) and never its applications (a foreign key to the call, not a child).
- A call cannot be published while it is open or to come and lacks an email field, a
  consent field, criteria or decision texts: the draft is saved and the editor is told
  what is missing (``CallPage.missing_for_opening``).
- The form field editor shows only the options of each field's type
  (``calls/static/calls/field-options.js``, reading ``models.FIELD_OPTIONS``, built from
  ``field_types.py``); each field's card is titled by its label
  (``calls/static/calls/field-titles.js``); beside each field's
  « afficher seulement si », ``calls/static/calls/condition-picker.js`` composes a condition
  line from the questions placed before (the text stays the fallback, parsed as before);
  « Insérer un champ ici » (``field-insert.js``) adds a field right after its card, with
  Wagtail's own « Ajouter » and move-up buttons (the ORDER inputs it swaps).
- Saving a change of type or choices of a form field that already has answers warns the
  editor (the answers keep their label and display of the time; see ``models.answer_counts``).
https://docs.wagtail.org/en/stable/reference/hooks.html#before-delete-page
"""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html, json_script
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import field_types
from .duplicate import duplicate_call_view
from .models import Application, CallFormField, CallPage, answer_counts


@hooks.register("register_admin_urls")
def duplicate_call_url():
    return [path("appels/<int:pk>/dupliquer/", duplicate_call_view, name="calls_duplicate")]


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


class DuplicateCallButton(PageMenuItem):
    label = gettext_lazy("Dupliquer l'appel")
    icon_name = "copy"
    url_name = "calls_duplicate"

    def is_shown(self, user):
        return self.page.permissions_for_user(user).can_copy()


@hooks.register("register_page_listing_more_buttons")
def duplicate_call_in_listing(page, user, next_url=None):
    if isinstance(page.specific_deferred, CallPage):
        yield DuplicateCallButton(page=page, next_url=next_url, priority=19)


@hooks.register("register_page_header_buttons")
def duplicate_call_in_header(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, CallPage):
        yield DuplicateCallButton(page=page, next_url=next_url, priority=29)


def missing_before_opening(page):
    """What a call that is open or to come lacks (empty for a closed call or another page)."""
    return page.missing_before_opening() if isinstance(page, CallPage) else []


@hooks.register("before_publish_page")
def refuse_opening_an_incomplete_call(request, page):
    missing = missing_before_opening(page)
    if not missing:
        return None
    messages.error(
        request,
        _("Brouillon enregistré, mais l'appel ne peut pas ouvrir : il manque %(missing)s.")
        % {"missing": " ; ".join(missing)},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_edit_page")
def say_what_the_call_lacks_before_opening(request, page):
    """The editor sees what is missing while editing, not only when publishing fails."""
    if request.method != "GET" or not isinstance(page.specific_deferred, CallPage):
        return None
    page = page.specific
    latest = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
    missing = missing_before_opening(latest)
    if missing:
        messages.warning(
            request,
            _("Pour que l'appel puisse ouvrir, il manque %(missing)s.") % {"missing": " ; ".join(missing)},
        )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_incomplete_calls(request, action_type, objects, action_class_instance):
    """Publishing from the page listing's bulk actions checks each call as the editor does."""
    if action_type != "publish":
        return None
    pages = [getattr(page, "specific", page) for page in objects]
    form = getattr(action_class_instance, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        # « Publier aussi les sous-pages » publishes every draft below the selected pages.
        from wagtail.models import Page

        for page in objects:
            pages.extend(Page.objects.descendant_of(page).not_live().type(CallPage).specific())
    incomplete = []
    for specific in pages:
        latest = specific.get_latest_revision_as_object() if isinstance(specific, CallPage) else specific
        if missing_before_opening(latest):
            incomplete.append(specific.title)
    if incomplete:
        messages.error(
            request,
            _("Publication impossible : il manque encore de quoi ouvrir %(titles)s (voir l'éditeur de l'appel).")
            % {"titles": ", ".join(f"« {title} »" for title in incomplete)},
        )
        return redirect("wagtailadmin_explore_root")


def condition_picker_data():
    """What ``condition-picker.js`` needs to offer the questions that can decide and their
    answers as ``conditions.py`` reads them, and its French texts."""
    return {
        "notDeciding": field_types.names(decides=False),
        "choiceTypes": [kind.name for kind in field_types.TYPES if kind.editor_choices],
        "booleanTypes": field_types.names(boolean=True),
        "taxonomies": {
            kind.name: [str(label) for _code, label in kind.taxonomy.choices]
            for kind in field_types.TYPES
            if kind.taxonomy is not None
        },
        "yesNo": [_("Oui"), _("Non")],
        "operators": [_("est"), _("n'est pas"), _("contient")],
        "text": {
            "legend": _("Composer une condition"),
            "question": _("Question placée plus haut"),
            "choose": _("Choisir une question"),
            "none": _("Aucune question placée plus haut ne peut décider"),
            "operator": _("Opérateur"),
            "answer": _("Réponse"),
            "chooseAnswer": _("Choisir une réponse"),
            "add": _("Ajouter la condition"),
            "added": _("Condition ajoutée : %(line)s"),
            "missingQuestion": _("Choisissez d'abord une question."),
            "missingAnswer": _("Indiquez la réponse attendue."),
            # field-insert.js
            "insert": _("Insérer un champ ici"),
            "after": _(" (après « %(label)s »)"),
        },
    }


@hooks.register("insert_editor_js")
def field_options_js():
    return format_html(
        '{}<script src="{}" defer></script><script src="{}" defer></script><script src="{}" defer></script>'
        '<script src="{}" defer></script>',
        json_script(condition_picker_data(), "qc-condition-picker-data"),
        static("calls/field-options.js"),
        static("calls/field-titles.js"),
        static("calls/condition-picker.js"),
        static("calls/field-insert.js"),
    )


@hooks.register("insert_global_admin_css")
def call_editor_css():
    return format_html('<link rel="stylesheet" href="{}">', static("calls/editor.css"))


FIELDS_BEFORE_EDIT = "_qc_form_fields_before_edit"


@hooks.register("before_edit_page")
def remember_form_fields(request, page):
    """On a POST, the form fields as they were (as applicants answered them)."""
    if request.method == "POST" and isinstance(page.specific_deferred, CallPage):
        fields = CallFormField.objects.filter(page_id=page.pk).only("pk", "field_type", "choices", "clean_name")
        setattr(request, FIELDS_BEFORE_EDIT, {field.pk: field for field in fields})
    return None


@hooks.register("after_edit_page")
def warn_about_changed_fields_with_answers(request, page):
    before = getattr(request, FIELDS_BEFORE_EDIT, None)
    if not before or not isinstance(page, CallPage):
        return None
    counts = answer_counts(page.pk, request)
    for field in page.form_fields.all():
        old = before.get(field.pk)
        count = counts.get(old.clean_name, 0) if old else 0
        if not count:
            continue
        if old.field_type != field.field_type:
            messages.warning(
                request,
                ngettext(
                    "Le type du champ « %(label)s » a changé alors qu'il a déjà %(count)s réponse : elle reste "
                    "affichée telle qu'elle a été envoyée, sous son libellé d'origine, mais peut ne plus "
                    "correspondre au nouveau type.",
                    "Le type du champ « %(label)s » a changé alors qu'il a déjà %(count)s réponses : elles restent "
                    "affichées telles qu'elles ont été envoyées, sous leur libellé d'origine, mais peuvent ne plus "
                    "correspondre au nouveau type.",
                    count,
                )
                % {"label": field.label, "count": count},
            )
        elif old.choices.strip() != field.choices.strip():
            messages.warning(
                request,
                ngettext(
                    "Les choix du champ « %(label)s » ont changé alors qu'il a déjà %(count)s réponse : elle reste "
                    "affichée telle qu'elle a été envoyée.",
                    "Les choix du champ « %(label)s » ont changé alors qu'il a déjà %(count)s réponses : elles "
                    "restent affichées telles qu'elles ont été envoyées.",
                    count,
                )
                % {"label": field.label, "count": count},
            )
    return None
