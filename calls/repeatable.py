"""Repeatable sections of a call's form (« Partenaires », « Achats prévus »).

An editor marks a section repeatable, with a minimum and a maximum number of entries and
the name of one entry (« Partenaire »). The fields between that section and the next one
form the group: the applicant fills them once per entry. In the form, each field of each
entry is its own Django field named ``<section key>-<n>-<field key>`` (``n`` from 1), and a
hidden ``<section key>-nombre`` says how many entries the page shows (``repeatable_form``).

The answer is stored under the section's key like any other answer: ``value`` is the list
of entries (each a dict keyed by the group's fields' keys), ``fields`` records each field's
key, label and type as they were (labels change, keys never do), ``entries`` holds what a
person reads, ``totals`` the sum of each numeric column. ``table`` turns it into headings,
rows and a totals row for the pages, the PDF and the exports.
"""

import decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from . import field_types
from .fields import to_decimal

MAX_REPEATABLE_ENTRIES = 20

COUNT_SUFFIX = "nombre"
ADD_ACTION = "ajouter"
REMOVE_ACTION = "retirer"


def is_empty(value):
    """Whether a raw posted value says nothing (an untouched entry)."""
    if value is None or value is False:
        return True
    if isinstance(value, list | tuple):
        return all(is_empty(item) for item in value)
    return isinstance(value, str) and not value.strip()


def format_number(number):
    return number_format(number, use_l10n=True, force_grouping=True)


class RepeatableGroup:
    """A repeatable section of a form class: its section, its fields, its bounds."""

    def __init__(self, section, members):
        self.section = section
        self.key = section.clean_name or section.get_field_clean_name()
        self.label = section.label
        # [(key, CallFormField, prototype form field)]: the prototypes are copied per entry.
        self.members = members
        self.max = max(1, min(section.max_entries or 1, MAX_REPEATABLE_ENTRIES))
        self.min = min(section.min_entries or 0, self.max)
        self.entry_label = (section.entry_label or section.label).strip()
        self.feminine = section.entry_label_feminine

    @property
    def count_name(self):
        return f"{self.key}-{COUNT_SUFFIX}"

    def field_name(self, number, member):
        return f"{self.key}-{number}-{member}"

    def entry_prefix(self, number):
        return f"{self.key}-{number}-"

    @property
    def member_keys(self):
        return [key for key, _model, _field in self.members]

    @property
    def numeric_members(self):
        return [(key, model) for key, model, _field in self.members if field_types.get(model.field_type).numeric]

    def entry_title(self, number):
        return f"{self.entry_label} {number}"

    @property
    def lower_label(self):
        return self.entry_label[:1].lower() + self.entry_label[1:]

    @property
    def add_label(self):
        if self.feminine:
            return _("Ajouter une %(entry)s") % {"entry": self.lower_label}
        return _("Ajouter un %(entry)s") % {"entry": self.lower_label}

    def bounds_text(self):
        """« Entre 1 et 10 achats. » as the form says it under the section."""
        if self.min:
            return _("De %(min)s à %(max)s entrées « %(entry)s ».") % {
                "min": self.min,
                "max": self.max,
                "entry": self.entry_label,
            }
        return _("Jusqu'à %(max)s entrées « %(entry)s », facultatives.") % {"max": self.max, "entry": self.entry_label}

    def too_many_message(self):
        return _("Vous pouvez indiquer %(max)s entrées « %(entry)s » au maximum.") % {
            "max": self.max,
            "entry": self.entry_label,
        }

    def too_few_message(self):
        return _("Indiquez au moins %(min)s entrée(s) « %(entry)s ».") % {"min": self.min, "entry": self.entry_label}


def totals(fields, entries_values):
    """``[{"key", "label", "value", "display"}]``: the sum of each numeric column."""
    result = []
    for field in fields:
        if not field_types.get(field.get("type")).numeric:
            continue
        numbers = [to_decimal(entry.get(field["key"])) for entry in entries_values]
        total = sum((number for number in numbers if number is not None), decimal.Decimal(0))
        display = format_number(total)
        result.append({"key": field["key"], "label": field["label"], "value": str(total), "display": display})
    return result


def display_text(answer):
    """The whole group as one text (emails, the applicant's data export): one line per entry."""
    lines = []
    fields = answer.get("fields") or []
    for number, entry in enumerate(answer.get("entries") or [], start=1):
        parts = [f"{field['label']} : {entry.get(field['key']) or '—'}" for field in fields]
        lines.append(f"{answer.get('entry_label', '')} {number} — " + " ; ".join(parts))
    for total in answer.get("totals") or []:
        lines.append(_("Total « %(label)s » : %(total)s") % {"label": total["label"], "total": total["display"]})
    return "\n".join(lines)


def table(answer):
    """``{"headings", "rows", "totals"}`` of a stored group answer: the first heading is the
    entry's number; ``totals`` is a row (empty cells where a column has no total), or None."""
    fields = answer.get("fields") or []
    entry_label = answer.get("entry_label") or ""
    rows = [
        [str(number)] + [entry.get(field["key"], "") or "" for field in fields]
        for number, entry in enumerate(answer.get("entries") or [], start=1)
    ]
    by_key = {total["key"]: total["display"] for total in answer.get("totals") or []}
    totals_row = None
    if by_key and rows:
        totals_row = [_("Total")] + [by_key.get(field["key"], "") for field in fields]
    return {
        "headings": [entry_label or "#"] + [field["label"] for field in fields],
        "rows": rows,
        "totals": totals_row,
        "numeric": [False] + [field_types.get(field.get("type")).numeric for field in fields],
    }
