"""Repeatable sections on a call's form (see ``calls/repeatable.py`` for the group itself).

Each entry's fields are created when the form is built (``build_groups``), from the POST
(the group shown), the draft (a group of another step: its widgets read the draft's value,
``steps.answer_from_draft``) or the initial answers (a page shown afresh). « Ajouter » and
« Retirer » without JavaScript (``change_entries``) give a new form bound to the changed
entries: a form's fields never change once it is bound.
"""

import copy
import dataclasses
import decimal

from django import forms

from . import repeatable
from .file_fields import AttachmentField
from .steps import MISSING, answer_from_draft


@dataclasses.dataclass(frozen=True)
class EntryChange:
    """What « Ajouter un partenaire » or « Retirer » did: the form to show (validated by the
    view like any other), the message to say on the group, the field to focus, and whether
    the form's other errors stay (a removal of an entry that is not there changes nothing)."""

    form: object
    group_key: str = ""
    message: str | None = None
    focus: str | None = None
    keeps_errors: bool = False


class RepeatableMixin:
    """The form's side of the repeatable sections (``groups``: section key → RepeatableGroup,
    set by ``builder.CallFormBuilder``)."""

    # Never more fields than this per group, whatever count a forged POST announces.
    ENTRIES_READ_CAP = repeatable.MAX_REPEATABLE_ENTRIES + 5

    def item_of(self, name):
        """The layout item a form field belongs to: its own name, or its group's key."""
        if name in self.field_models:
            return name
        key = name.split("-", 1)[0]
        if key in self.groups and name.startswith(key + "-"):
            return key
        return None

    def build_groups(self):
        """Create the fields of each entry of each repeatable section. Entries up to the last
        one filled, and at least the minimum, are « present »: their required fields are
        required; later empty ones are ignored (``relax_absent_entries``)."""
        self.group_counts = {}
        self.group_present = {}
        self.group_overflow = set()  # groups whose POST announced more entries than are read
        for group in self.groups.values():
            stored = {}  # field name → the draft's value (a group of another step)
            shown = group.key in self.shown_fields() if self.is_bound else False
            if self.is_bound and shown:
                count = self._posted_count(group)
                raw = [
                    {key: self._raw_posted(group.field_name(n, key), field) for key, _model, field in group.members}
                    for n in range(1, count + 1)
                ]
            else:
                source = self.stored_answers if self.is_bound else self.initial
                raw = [entry for entry in (source.get(group.key) or []) if isinstance(entry, dict)]
                raw = raw[: self.ENTRIES_READ_CAP]
                count = len(raw) if self.is_bound else max(len(raw), group.min, 1)
                for n in range(1, count + 1):
                    entry = raw[n - 1] if n <= len(raw) else {}
                    for key in group.member_keys:
                        if self.is_bound:
                            stored[group.field_name(n, key)] = entry.get(key)
                        elif key in entry:
                            self.initial[group.field_name(n, key)] = entry[key]
                if self.is_bound:
                    stored[group.count_name] = str(count)
                else:
                    self.initial[group.count_name] = count
            filled = [
                n for n, entry in enumerate(raw, start=1) if not all(repeatable.is_empty(v) for v in entry.values())
            ]
            present = max([group.min, *filled]) if self.is_bound else count
            self.group_counts[group.key] = count
            self.group_present[group.key] = min(present, count) if self.is_bound else count
            self.fields[group.count_name] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            for n in range(1, count + 1):
                for key, _model, prototype in group.members:
                    # Required as the editor set it (shown so); relaxed while cleaning the
                    # entries past the present ones (``relax_absent_entries``).
                    self.fields[group.field_name(n, key)] = copy.deepcopy(prototype)
            for name, value in stored.items():
                answer_from_draft(self.fields[name], MISSING if value is None else value)

    def _posted_count(self, group):
        value = str(self.data.get(group.count_name, "")).strip()
        count = int(value) if value.isdigit() else 0
        if count > self.ENTRIES_READ_CAP:
            self.group_overflow.add(group.key)
        return min(count, self.ENTRIES_READ_CAP)

    def _raw_posted(self, name, field):
        return field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))

    def relax_absent_entries(self):
        """Make the fields of the entries past the present ones optional while cleaning;
        returns them (``full_clean`` makes them required again)."""
        relaxed = []
        for group in self.groups.values():
            present = self.group_present.get(group.key, 0)
            for n in range(present + 1, self.group_counts.get(group.key, 0) + 1):
                for key in group.member_keys:
                    field = self.fields[group.field_name(n, key)]
                    if field.required:
                        field.required = False
                        relaxed.append(field)
        return relaxed

    def clean_group(self, group, cleaned):
        """The group's answer: the present entries in order, each keyed by its fields' keys;
        fewer than the minimum or more than the maximum is refused (nothing is stored)."""
        count = self.group_counts.get(group.key, 0)
        present = self.group_present.get(group.key, 0)
        if present > group.max or group.key in self.group_overflow:
            self.add_error(group.count_name, group.too_many_message())
        elif present < group.min or count < group.min:
            self.add_error(group.count_name, group.too_few_message())
        entries = []
        for n in range(1, min(present, group.max, count) + 1):
            entries.append({key: cleaned.get(group.field_name(n, key)) for key in group.member_keys})
        cleaned[group.key] = entries

    def raw_group_entries(self, key):
        """The entries shown, as posted (for a draft): a list of dicts of raw values."""
        group = self.groups[key]
        return [
            {member: self[group.field_name(n, member)].data for member in group.member_keys}
            for n in range(1, self.group_counts.get(key, 0) + 1)
        ]

    def change_entries(self, action):
        """« Ajouter un partenaire » or « Retirer » without JavaScript (``ajouter:<key>``,
        ``retirer:<key>:<n>``): an ``EntryChange`` whose form is bound to the entries changed
        (this form when nothing changes), or None when ``action`` is not one of these."""
        parts = str(action or "").split(":")
        if (
            len(parts) < 2
            or parts[0] not in (repeatable.ADD_ACTION, repeatable.REMOVE_ACTION)
            or parts[1] not in self.groups
        ):
            return None
        group = self.groups[parts[1]]
        if group.key not in self.shown_fields():
            return EntryChange(self, group.key)
        data = self.data.copy()
        count = self._posted_count(group)
        if parts[0] == repeatable.ADD_ACTION:
            if count >= group.max:
                return EntryChange(self, group.key, message=group.too_many_message())
            count += 1
            focus = group.field_name(count, group.member_keys[0])
        else:
            number = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
            if not 1 <= number <= count:
                return EntryChange(self, group.key, keeps_errors=True)
            if count <= group.min:
                return EntryChange(self, group.key, message=group.too_few_message())
            self._shift_entries(data, group, number, count)
            count -= 1
            focus = group.field_name(min(number, count), group.member_keys[0]) if count else None
        data[group.count_name] = str(count)
        return EntryChange(self.rebound(data), group.key, focus=focus)

    def show_entry_change(self, change):
        """Once validated: only the files' errors stay (a file that failed its checks is
        said at once), with the change's message on the group and the focus it asks."""
        if not change.keeps_errors:
            self.keep_only_errors([name for name in self.errors if isinstance(self.fields.get(name), AttachmentField)])
        if change.message:
            self.add_error(self.groups[change.group_key].count_name, change.message)
        self.autofocus_name = change.focus
        if change.focus:
            self.fields[change.focus].widget.attrs["autofocus"] = True

    def _shift_entries(self, data, group, number, count):
        """Drop entry ``number``: each later entry takes the place of the one before."""
        prefix = self.add_prefix(group.key) + "-"
        for n in range(number, count + 1):
            for name in [name for name in data if name.startswith(f"{prefix}{n}-")]:
                del data[name]
            if n < count:
                source = f"{prefix}{n + 1}-"
                for name in [name for name in data if name.startswith(source)]:
                    data.setlist(f"{prefix}{n}-" + name[len(source) :], data.getlist(name))

    def bound_group(self, key):
        """What the template needs to render a group: entries of bound fields, totals."""
        group = self.groups[key]
        count = self.group_counts.get(key, 0)
        entries = [
            {
                "number": n,
                "title": group.entry_title(n),
                "fields": [self[group.field_name(n, member)] for member in group.member_keys],
            }
            for n in range(1, count + 1)
        ]
        template_fields = [
            self.bound_field_class(self, copy.deepcopy(field), group.field_name("__n__", member))
            for member, _model, field in group.members
        ]
        totals = []
        for member, model in group.numeric_members:
            values = [self[group.field_name(n, member)].value() for n in range(1, count + 1)]
            numbers = [repeatable.to_decimal(value) for value in values]
            total = sum((number for number in numbers if number is not None), decimal.Decimal(0))
            totals.append({"key": member, "label": model.label, "display": repeatable.format_number(total)})
        return {
            "group": group,
            "key": key,
            "entries": entries,
            "count": count,
            "count_field": self[group.count_name],
            "template_fields": template_fields,
            "totals": totals,
            "can_add": count < group.max,
            "can_remove": count > group.min,
        }
