"""Conditional questions on a call's form: which questions the answers hide, and what the page
says about each condition. The rules themselves are read and evaluated by
``calls/conditions.py``; ``builder.CallFormBuilder`` gives the form class ``section_rules``
(``{id(section model): Rule}``) and ``field_rules`` (``{field name: (its section's Rule or
None, its own Rule or None)}``). ``forms.CallForm.clean`` drops the hidden answers.
"""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .file_fields import AttachmentField


class ConditionsMixin:
    """The form's side of the conditions."""

    def hidden_questions(self, get_value):
        """``(hidden names, answers)``: the questions whose conditions are not met, in form
        order, each deciding answer read with ``get_value(name)`` (a hidden one counts as
        unanswered, so a question depending on it is hidden too)."""
        hidden, values = set(), {}
        if not self.field_rules:
            return hidden, values
        deciding = {name for rules in self.field_rules.values() for r in rules if r for name in r.deciding_names()}
        for kind, name in self.layout:
            if kind == "section":
                continue
            rules = [rule for rule in self.field_rules.get(name, ()) if rule is not None]
            if rules and not all(rule.holds(self.field_models, values) for rule in rules):
                hidden.add(name)
                continue
            if name in deciding:
                values[name] = get_value(name)
        return hidden, values

    def _initial_answer(self, name):
        field = self.fields[name]
        if isinstance(field, AttachmentField):
            return None
        raw = self.get_initial_for_field(field, name)
        if raw in (None, "", [], ()):
            return None
        try:
            return field.clean(raw)
        except ValidationError:
            return None

    def condition_state(self):
        """``(hidden names, answers)`` as the form stands: from the cleaned answers once
        validated, else from the initial ones (a draft's)."""
        validated = hasattr(self, "cleaned_data")
        cached = getattr(self, "_condition_state", None)
        if cached is None or cached[0] != validated:
            if validated:
                state = self.hidden_questions(lambda name: self.cleaned_data.get(name))
            else:
                state = self.hidden_questions(self._initial_answer)
            self._condition_state = cached = (validated, state)
        return cached[1]

    def hidden_now(self):
        """The questions hidden as the form stands (``condition_state``)."""
        return self.condition_state()[0]

    def _for_browser(self, rule):
        """``Rule.for_browser`` with the answers known to the server (True: holds)."""
        if rule is None:
            return True
        _hidden, values = self.condition_state()
        return rule.for_browser(self.field_models, values, self.on_page())

    def rule_skips(self, rule):
        """Whether ``rule`` is already decided against by answers of other steps."""
        return self._for_browser(rule) is False

    def _note(self, rule, text):
        result = self._for_browser(rule)
        if result is True or result is False:
            return None
        note = text % {"condition": rule.describe()}
        return {"note": note, "json": json.dumps(result, ensure_ascii=False)}

    def rule_note(self, rule):
        """``{"note", "json"}`` for the template and ``call-conditions.js`` when a question's
        ``rule`` depends on answers of the page shown; None when it is decided (or there is none)."""
        return self._note(rule, _("À remplir si %(condition)s."))

    def section_rule_note(self, rule):
        """``rule_note`` of a section's rule, said of the whole section."""
        return self._note(rule, _("Section à remplir si %(condition)s."))

    def field_skipped(self, name):
        """Whether the question ``name`` is not asked: answers of other steps hide it (or its
        section, in steps)."""
        section_rule, own_rule = self.field_rules.get(name, (None, None))
        if self.step_count > 1 and self.rule_skips(section_rule):
            return True
        return self.rule_skips(own_rule)

    def field_condition(self, name):
        """The condition shown beside the question ``name`` (``rule_note``), or None."""
        if self.field_skipped(name):
            return None
        return self.rule_note(self.field_rules.get(name, (None, None))[1])
