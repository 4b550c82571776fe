"""The call form's builder: Wagtail's ``FormBuilder`` with the project's field types, and the
form class of one call (its layout, steps, conditions and repeatable sections).

Wagtail builds a Django form from the page's fields; ``CallFormBuilder`` creates each field
with its type's factory in the registry (``field_types.py``).
``get_form_class`` makes a subclass of ``forms.CallForm`` with its own values: nothing of a
call is held by the base class. https://docs.wagtail.org/en/stable/reference/contrib/forms/customisation.html
"""

import functools
from types import MappingProxyType

from django.utils.html import conditional_escape
from wagtail.contrib.forms.forms import FormBuilder

from . import conditions, field_types
from .file_fields import AttachmentField
from .forms import CallForm
from .repeatable import RepeatableGroup
from .steps import StepPlan


class CallFormBuilder(FormBuilder):
    def __init__(self, fields):
        self.all_fields = list(fields)
        super().__init__([f for f in self.all_fields if not field_types.get(f.field_type).layout])

    def get_create_field_function(self, type):
        """The form field of each type: its factory in the registry (calls/field_types.py)."""
        return functools.partial(field_types.get(type).form_field, self)

    def get_field_options(self, field):
        options = super().get_field_options(field)
        # Wagtail escapes the help text already (WAGTAILFORMS_HELP_TEXT_ALLOW_HTML = False).
        options["help_text"] = conditional_escape(field.help_text)
        message = field_types.get(field.field_type).required_message
        if message:  # (None: the field's own, for a file or a consent)
            options["error_messages"] = {"required": message}
        return options

    @property
    def formfields(self):
        formfields = super().formfields
        for field in self.fields:
            formfield = formfields[field.clean_name or field.get_field_clean_name()]
            token = field.purpose or field_types.get(field.field_type).autocomplete
            if token and not isinstance(formfield, AttachmentField):
                formfield.widget.attrs["autocomplete"] = token
            if field.purpose == "email" or field_types.get(field.field_type).autocomplete == "email":
                formfield.widget.attrs.setdefault("inputmode", "email")
            if field.purpose == "tel":
                formfield.widget.attrs.setdefault("inputmode", "tel")
        return formfields

    def get_form_class(self):
        formfields = self.formfields
        layout, field_models, groups = [], {}, {}
        attrs = dict(formfields)
        group = None
        # Conditions (calls/conditions.py): a section's apply to every field until the next one.
        section_rules, field_rules, section_rule, before = {}, {}, None, []
        for field in self.all_fields:
            # Questions of a repeatable section are answered once per entry: none decides another
            # question, and none is conditional (the editor is told so: ``repeatable_problems``).
            section = field_types.get(field.field_type).section
            in_group = group is not None and not section
            rule = None if in_group else conditions.parse_quietly(field.conditions, field.condition_match, before)
            if section and field.repeatable:
                rule = None
            if not in_group:
                before.append(field)
            name = field.clean_name or field.get_field_clean_name()
            if section:
                layout.append(("section", field))
                section_rule = rule
                if rule is not None:
                    section_rules[id(field)] = rule
                group = None
                if field.repeatable:
                    group = RepeatableGroup(field, [])
                    groups[group.key] = group
                    layout.append(("group", group))
            elif group is not None:
                # A field of a repeatable section: copied once per entry (RepeatableMixin.build_groups).
                group.members.append((name, field, attrs.pop(name)))
            else:
                layout.append(("field", name))
                field_models[name] = field
                if section_rule is not None or rule is not None:
                    field_rules[name] = (section_rule, rule)
        for key, group in list(groups.items()):
            if not group.members:  # a repeatable section without fields: a plain heading
                del groups[key]
                layout.remove(("group", group))
        # The class's own values, read-only: every form of the call shares them.
        attrs.update(
            layout=tuple(layout),
            field_models=MappingProxyType(field_models),
            section_rules=MappingProxyType(section_rules),
            field_rules=MappingProxyType(field_rules),
            groups=MappingProxyType(groups),
            step_plan=StepPlan(layout),
        )
        return type("BuiltCallForm", (CallForm,), attrs)
