"""The call editor's question cards (calls/panels.py, ``QuestionCardPanel``): the same markup
as Wagtail's own panel templates, for a fraction of the template renders per card (pinned:
they were the editor's time, bench/README.md « The call editor »)."""

import re

import pytest
from django import forms
from django.test import RequestFactory
from django.test.signals import template_rendered
from wagtail.admin.panels import MultiFieldPanel

from calls.models import BuiltFormField, CallFormField
from calls.panels import QuestionCardPanel, Select
from tests.calls.factories import CallFormFieldFactory

pytestmark = pytest.mark.django_db

# Templates rendered for one more question card in the editor (a text field), counted with
# Django's test signal: 337 with Wagtail's own panel templates (per field
# multi_field_panel_child, field_panel, shared/field, formatted_field, the comment button's two
# icons and their attrs; the type's 37 options each through select_option and attrs), 125 with
# the light card: its 24 nodes (18 fields, 3 groups, 3 rows), the inline child's furniture, the
# widgets (inputs, the file kinds' and the condition combination's choices, two selects).
TEMPLATES_PER_CARD = 125
# Of those, the panels' own (wagtailadmin/panels/, wagtailadmin/shared/, the card's): 176
# with Wagtail's chain, 38 with the light card.
PANEL_TEMPLATES_PER_CARD = 38


def rendered_templates(client, call):
    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    client.get(f"/admin/pages/{call.pk}/edit/")  # Wagtail's per-process caches
    template_rendered.connect(record)
    try:
        response = client.get(f"/admin/pages/{call.pk}/edit/")
    finally:
        template_rendered.disconnect(record)
    assert response.status_code == 200
    return names, response.content.decode()


def is_panel_template(name):
    return name.startswith(("wagtailadmin/panels/", "wagtailadmin/shared/", "calls/admin/question_card"))


def test_one_more_question_costs_a_pinned_number_of_templates(client, call, admin_user):
    client.force_login(admin_user)
    before, _ = rendered_templates(client, call)
    CallFormFieldFactory(page=call, label="Nombre de salariés", sort_order=100)
    after, html = rendered_templates(client, call)
    per_card = len(after) - len(before)
    panels_per_card = sum(map(is_panel_template, after)) - sum(map(is_panel_template, before))
    assert (per_card, panels_per_card) == (TEMPLATES_PER_CARD, PANEL_TEMPLATES_PER_CARD)
    # No comment button in a card: Wagtail's comments script removes it there anyway.
    card = html[html.index('id="inline_child_form_fields-0"') : html.index('id="inline_child_form_fields-1"')]
    assert "data-comment-add" not in card
    assert card.count("data-field-wrapper") == 18


def normalised(html):
    """The markup without the templates' indentation."""
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", str(html)))


@pytest.mark.parametrize(
    "data",
    [
        {},  # unbound: the editor's opening
        # bound with errors: an unknown type, a section without its entry's name, a size too big
        {"label": "", "field_type": "nope", "max_size_mb": "0", "repeatable": "on", "entry_label": ""},
        {"label": "Partenaires", "field_type": "section", "repeatable": "on", "min_entries": "4", "max_entries": "2"},
    ],
)
def test_a_card_has_the_markup_of_wagtails_own_templates(admin_user, data):
    """Labels, required marks, help texts and their ids, errors and ``aria-describedby``,
    the groups' headings and rows: the light templates draw what Wagtail's draw."""
    card = BuiltFormField.panels[0]
    assert isinstance(card, QuestionCardPanel)
    light = card.clone().bind_to_model(CallFormField)
    wagtail = MultiFieldPanel(card.children).bind_to_model(CallFormField)
    form_class = light.get_form_class()
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    form = form_class(data or None, instance=CallFormField(), prefix="form_fields-0", for_user=admin_user)
    if data:
        form.is_valid()
        assert form.errors
    outputs = [
        panel.get_bound_panel(instance=form.instance, request=request, form=form, prefix="card").render_html()
        for panel in (light, wagtail)
    ]
    assert normalised(outputs[0]) == normalised(outputs[1])
    assert "Étiquette" in outputs[0] and "Section répétable" in outputs[0]


def test_the_light_select_draws_djangos_html():
    choices = [("", "---------"), ("text", "Texte d'une ligne"), ("Groupe", [("a", "A & B"), ("b", "« B »")])]
    attrs = {"data-qc-field-options": '{"choices": ["radio"]}', "required": True}
    for value in ("", "text", "b"):
        ours = Select(attrs=attrs, choices=choices).render("type", value, attrs={"id": "id_type"})
        django = forms.Select(attrs=attrs, choices=choices).render("type", value, attrs={"id": "id_type"})
        assert normalised(ours) == normalised(django)
        assert "selected" in ours
