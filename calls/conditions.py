"""Conditional questions of the form builder: « afficher seulement si… ».

An editor writes a field's (or a section's) conditions in the admin, one per line:
``Forme juridique est Association``, ``Forme juridique n'est pas Association``,
``Activités contient Restauration``. A line starts with the label of a question placed
before, then an operator, then the answer. The lines are combined with « toutes » (all)
or « au moins une » (any): ``CallFormField.condition_match``.

- ``parse`` reads the lines against the questions placed before (it is given them), and
  raises ``ConditionError`` with a French message for the editor (admin validation,
  ``admin_forms.py``). A broken line found at serving time (a page saved before this
  check existed) is ignored: the question is then always asked.
- ``Rule.holds(values)`` evaluates the conditions on the cleaned answers (the server's
  word: ``CallForm.clean``); ``Rule.for_browser`` is what ``call-conditions.js`` needs to
  show and hide the same questions in place.
- An unanswered question, or a hidden one, fulfils no condition (not even « n'est pas »).
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from wagtail.contrib.forms.forms import FormBuilder

from . import field_types

EQUALS, DIFFERS, CONTAINS = "equals", "differs", "contains"
ALL, ANY = "all", "any"

# The operators as an editor writes them, longest first (« n'est pas » before « est »).
OPERATOR_WORDS = (
    ("est différent de", DIFFERS),
    ("est différente de", DIFFERS),
    ("n'est pas", DIFFERS),
    ("est", EQUALS),
    ("contient", CONTAINS),
    ("!=", DIFFERS),
    ("≠", DIFFERS),
    ("=", EQUALS),
)

# Which questions can decide another one, which are answered « Oui »/« Non », among the
# editor's choices or a taxonomy's: each type says so in field_types.py (``decides``,
# ``boolean``, ``editor_choices``, ``taxonomy``).


class ConditionError(ValueError):
    """A line the editor wrote cannot be read; the message says why, in French."""


def normalise(text):
    """Compare answers as a person does: case, spaces and apostrophes do not count."""
    text = str(text).replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _strip_quotes(text):
    text = text.strip()
    for opening, closing in (("«", "»"), ('"', '"'), ("“", "”"), ("'", "'")):
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : -len(closing)].strip()
    return text


def choices_of(model):
    """The answers a choice question offers, as the editor wrote them."""
    kind = field_types.get(model.field_type)
    if kind.taxonomy is not None:
        return [str(label) for _code, label in kind.taxonomy.choices]
    if kind.boolean:
        return [_("Oui"), _("Non")]
    if kind.editor_choices and (model.choices or "").strip():
        # Split as Wagtail does (one per line, or commas on a single line): the same choices as the form.
        return [choice for choice, _label in FormBuilder([]).get_formatted_field_choices(model) if choice]
    return []


@dataclass
class Condition:
    name: str  # the deciding field's key
    label: str  # its label, for the note shown to applicants
    op: str
    value: str  # as the editor wrote it (the choice's own spelling for a choice)
    aliases: tuple = ()  # normalised values that match (a region's code and label)

    def holds(self, model, value):
        items = answer_items(model, value)
        if not items:
            return False
        if self.op == EQUALS:
            return len(items) == 1 and bool(items[0] & set(self.aliases))
        if self.op == DIFFERS:
            return not any(item & set(self.aliases) for item in items)
        return any(alias in text for item in items for text in item for alias in self.aliases)

    def describe(self):
        if self.op == EQUALS:
            return _("vous avez répondu « %(value)s » à « %(label)s »") % {"value": self.value, "label": self.label}
        if self.op == DIFFERS:
            return _("votre réponse à « %(label)s » n'est pas « %(value)s »") % {
                "value": self.value,
                "label": self.label,
            }
        return _("votre réponse à « %(label)s » contient « %(value)s »") % {"value": self.value, "label": self.label}


@dataclass
class Rule:
    """The conditions of one field or section, and how they combine."""

    match: str = ALL
    conditions: list = field(default_factory=list)

    def holds(self, models, values):
        results = (c.holds(models[c.name], values.get(c.name)) for c in self.conditions)
        return all(results) if self.match == ALL else any(results)

    def describe(self):
        joiner = _(" et ") if self.match == ALL else _(" ou ")
        return joiner.join(condition.describe() for condition in self.conditions)

    def deciding_names(self):
        return {condition.name for condition in self.conditions}

    def for_browser(self, models, values, on_page):
        """``None``: the rule is decided here (``True``/``False``); else the JSON the script
        evaluates, with the conditions on questions of other steps already decided."""
        items = []
        for condition in self.conditions:
            if condition.name in on_page:
                items.append({"name": condition.name, "op": condition.op, "values": list(condition.aliases)})
            else:
                items.append({"fixed": condition.holds(models[condition.name], values.get(condition.name))})
        if not any("name" in item for item in items):
            fixed = [item["fixed"] for item in items]
            return all(fixed) if self.match == ALL else any(fixed)
        return {"match": self.match, "conditions": items}


def answer_items(model, value):
    """An answer as a list of items (one per choice ticked), each a set of normalised
    spellings: a region is matched by its code and its label; a yes/no by « oui »/« non »."""
    if field_types.get(model.field_type).boolean:
        if value is None:
            return []
        return [{normalise(_("Oui") if value else _("Non"))}]
    if value is None or value == "" or value == []:
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    items = []
    for item in values:
        spellings = {normalise(item)}
        taxonomy = field_types.get(model.field_type).taxonomy
        if taxonomy is not None and item in taxonomy.values:
            spellings.add(normalise(taxonomy(item).label))
        items.append(spellings)
    return items


def _aliases(model, value):
    taxonomy = field_types.get(model.field_type).taxonomy
    if taxonomy is not None:
        for code, label in taxonomy.choices:
            if normalise(label) == normalise(value) or normalise(code) == normalise(value):
                return (normalise(code), normalise(label))
    return (normalise(value),)


def nearest_label(text, candidates):
    """The question whose label is closest to what starts ``text`` (normalised), before an
    operator word: a typo, a missing accent or word gets a suggestion; ``None`` if none is close."""
    typed = {text}
    for word, _code in OPERATOR_WORDS:
        pattern = rf"\s{re.escape(word)}(?=\s|$)" if word[0].isalpha() else re.escape(word)
        typed.update(text[: found.start()].strip() for found in re.finditer(pattern, text) if found.start() > 0)
    best, best_ratio = None, 0.75
    for model in candidates:
        label = normalise(model.label)
        for prefix in typed:
            ratio = difflib.SequenceMatcher(None, prefix, label).ratio()
            if ratio > best_ratio:
                best, best_ratio = model, ratio
    return best


def parse_line(line, before):
    """One condition from ``line``; ``before``: the questions placed before (models, in order)."""
    text = normalise(line)
    candidates = [m for m in before if not field_types.get(m.field_type).layout and normalise(m.label)]
    # The longest label that starts the line: « Forme juridique du commerce » before « Forme juridique ».
    candidates.sort(key=lambda m: len(normalise(m.label)), reverse=True)
    model = next((m for m in candidates if text.startswith(normalise(m.label) + " ")), None)
    if model is None:
        model = next((m for m in candidates if text.startswith(normalise(m.label))), None)
    if model is None:
        message = _(
            "« %(line)s » : commencez la ligne par le libellé exact d'une question placée plus haut dans le formulaire."
        ) % {"line": line.strip()}
        near = nearest_label(text, candidates)
        if near is not None:
            message += " " + _("Vouliez-vous dire « %(label)s » ?") % {"label": near.label}
        raise ConditionError(message)
    if not field_types.get(model.field_type).decides:
        raise ConditionError(
            _("« %(line)s » : la réponse à « %(label)s » ne peut pas décider d'une autre question.")
            % {"line": line.strip(), "label": model.label}
        )
    rest = text[len(normalise(model.label)) :].strip()
    op = None
    for word, code in OPERATOR_WORDS:
        if rest.startswith(word) and (not word[0].isalpha() or rest[len(word) : len(word) + 1] in ("", " ")):
            op, rest = code, rest[len(word) :]
            break
    if op is None:
        raise ConditionError(
            _("« %(line)s » : après « %(label)s », écrivez « est », « n'est pas » ou « contient », puis la réponse.")
            % {"line": line.strip(), "label": model.label}
        )
    # The value as the editor typed it (not lowered): the same number of characters from the end.
    original = re.sub(r"\s+", " ", line.replace("\u2019", "'").replace("\u00a0", " ")).strip()
    value = _strip_quotes(original[len(original) - len(rest.strip()) :] if rest.strip() else "")
    if not value:
        raise ConditionError(_("« %(line)s » : indiquez la réponse attendue.") % {"line": line.strip()})
    choices = choices_of(model)
    if choices:
        match = next((choice for choice in choices if normalise(choice) == normalise(value)), None)
        if match is None and not (op == CONTAINS and not field_types.get(model.field_type).boolean):
            raise ConditionError(
                _("« %(line)s » : « %(value)s » n'est pas une réponse possible à « %(label)s » (%(choices)s).")
                % {
                    "line": line.strip(),
                    "value": value,
                    "label": model.label,
                    "choices": ", ".join(f"« {c} »" for c in choices),
                }
            )
        value = match or value
    name = model.clean_name or model.get_field_clean_name()
    return Condition(name=name, label=model.label, op=op, value=value, aliases=_aliases(model, value))


def lines_of(text):
    return [line for line in re.split(r"[\r\n]+", text or "") if line.strip()]


def parse(text, match, before):
    """The ``Rule`` of a field whose conditions are ``text``, or ``None`` when it has none.
    Raises ``ConditionError`` on the first line that cannot be read."""
    lines = lines_of(text)
    if not lines:
        return None
    return Rule(match=ANY if match == ANY else ALL, conditions=[parse_line(line, before) for line in lines])


def parse_quietly(text, match, before):
    """``parse`` at serving time: a line that cannot be read is left out."""
    conditions = []
    for line in lines_of(text):
        try:
            conditions.append(parse_line(line, before))
        except ConditionError:
            continue
    return Rule(match=ANY if match == ANY else ALL, conditions=conditions) if conditions else None
