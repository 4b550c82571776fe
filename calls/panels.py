"""The call editor's question card: every option of a form field (``BuiltFormField.panels``)
rendered by two small templates instead of Wagtail's chain of four per field.

Wagtail renders each ``FieldPanel`` of a group through ``multi_field_panel_child.html``,
``field_panel.html``, ``shared/field.html`` and the ``formattedfield`` tag's
``formatted_field.html``, and each ``MultiFieldPanel``/``FieldRowPanel`` through its own
template again: about 80 template renders per question card, most of the call editor's time
(bench/README.md, « The call editor »). ``QuestionCardPanel`` is a ``MultiFieldPanel`` whose
children keep their own panels (form options, widgets, validation, comparisons in the
revisions' history are Wagtail's) but whose HTML is built from each bound panel's own context
(``FieldPanel.BoundPanel.get_context_data``: the rendered widget, its help text and error ids,
``aria-describedby``) by ``calls/admin/question_card_node.html``, one include per panel, with
the same markup as Wagtail's templates (``tests/calls/test_question_card.py`` compares them).

What the light templates do not cover is rendered by Wagtail as usual: a read-only field, a
field with the comment button (the card's fields disable it: inside an inline panel's child,
marked ``data-contentpath-disabled``, Wagtail's comments script removes the button anyway), a
group with a help text, any other panel (``AnswersNoticePanel``).
"""

import re

from django import forms
from django.forms.utils import flatatt
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

GROUP_TEMPLATES = {MultiFieldPanel.BoundPanel.template_name, FieldRowPanel.BoundPanel.template_name}
CAMEL_BOUNDARY = re.compile("(((?<=[a-z])[A-Z])|([A-Z](?![A-Z]|$)))")


def css_name(cls):
    """``CharField`` → ``char_field``: the names of Wagtail's ``w-field--…`` classes."""
    return CAMEL_BOUNDARY.sub("_\\1", cls.__name__).lower().strip("_")


def field_context(bound_panel, parent_context):
    """What ``formatted_field.html`` shows for an editable ``FieldPanel``, from the panel's own
    context (the widget is rendered there, with its ``aria-describedby``)."""
    context = bound_panel.get_context_data(parent_context)
    field = context["field"]
    errors = field.errors
    has_errors = bool(errors)
    if has_errors and hasattr(field.field.widget, "render_with_errors"):
        errors = []  # the widget shows them itself, as in Wagtail's template
    return {
        "rendered_field": context["rendered_field"],
        "wrapper_id": context["wrapper_id"],
        "error_message_id": context["error_message_id"],
        "help_text": context["help_text"] or field.help_text or "",
        "help_text_id": context["help_text_id"],
        "contentpath": field.name,
        "classname": f"w-field--{css_name(type(field.field))} w-field--{css_name(type(field.field.widget))}",
        "has_errors": has_errors,
        "errors": errors,
    }


def card_node(child, parent_context):
    """One child panel of the card, as ``question_card_node.html`` draws it: the wrapper and
    label of ``multi_field_panel_child.html``, then a field, a group of nodes or Wagtail's own
    HTML for what the light template does not cover."""
    node = {
        "classes": " ".join(name.strip() for name in ["w-panel__wrapper", *child.classes()] if name),
        "attrs": flatatt(child.attrs or {}),
        "heading": child.heading,
        "required": child.is_required(),
        "read_only": getattr(child, "read_only", False),
        "label_for": child.id_for_label(),
    }
    drawn_by = getattr(child, "template_name", None)  # a subclass with a template of its own keeps it
    if isinstance(child, FieldPanel.BoundPanel) and drawn_by == FieldPanel.BoundPanel.template_name:
        if not child.read_only and not child.comments_enabled:
            node["field"] = field_context(child, parent_context)
            return node
    elif drawn_by in GROUP_TEMPLATES and not child.help_text:
        node["row"] = drawn_by == FieldRowPanel.BoundPanel.template_name
        node["children"] = [card_node(grandchild, parent_context) for grandchild in child.visible_children]
        return node
    node["html"] = child.render_html(parent_context)
    return node


class Select(forms.Select):
    """Django's ``Select`` drawing its options in its own template's loop instead of two
    includes per option (``select_option.html``, ``attrs.html``): the same HTML for the
    card's long lists (the field's type: one option per type). Named ``Select`` so that
    Wagtail's field keeps its ``w-field--select`` class."""

    template_name = "calls/admin/select.html"


class QuestionCardPanel(MultiFieldPanel):
    """A ``MultiFieldPanel`` drawn by the light templates of this module (see its docstring)."""

    class BoundPanel(MultiFieldPanel.BoundPanel):
        template_name = "calls/admin/question_card.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["nodes"] = [card_node(child, parent_context) for child in self.visible_children]
            return context
