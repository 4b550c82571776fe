"""The call's form: the form builder with the project's field types, and the form class
that lays fields out in sections, summarises errors and turns answers into stored data.

Wagtail builds a Django form from the page's fields; ``CallFormBuilder`` creates each field
with its type's factory (``field_types.py``), and answers are stored by ``answers.py``. ``CallForm.clean``
applies the legal form's rule: only the identifier that legal form has (SIRET or RNA) is
required and stored. https://docs.wagtail.org/en/stable/reference/contrib/forms/customisation.html
"""

import copy
import decimal
import functools
import json
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.utils import get_field_clean_name

from . import conditions, field_types, qpv_check
from . import groups as repeat
from .answers import serialise_answer
from .attachments.kinds import format_size
from .fields import AttachmentField, identifier_for_legal_form, legal_form_label

# Names of the form's own fields; editors' fields never get them (see ``safe_field_key``).
HONEYPOT_NAME = "qc_site_internet"
TOKEN_NAME = "qc_jeton"  # noqa: S105 (a field name, not a secret)
RESERVED_PREFIX = "qc_"


def safe_field_key(label):
    """The stable key of a new field: Wagtail's snake_case of the label, never a reserved name."""
    key = get_field_clean_name(label)[:200]
    if not key:
        return f"champ_{uuid.uuid4().hex[:8]}"
    if key.startswith(RESERVED_PREFIX):
        return f"champ_{key}"
    return key


# --- Bound fields: help, hints, errors all described to screen readers ------------------


class CallBoundField(BoundField):
    """Points ``aria-describedby`` at the help text, the hint (formats, limits), the
    consent text, the "choose the file again" note and the error, each with a stable id."""

    @property
    def hint(self):
        return getattr(self.field, "hint", "")

    @property
    def description(self):
        return getattr(self.field, "description", "")

    @property
    def must_reselect(self):
        return self.name in getattr(self.form, "files_to_reselect", ())

    @property
    def optional(self):
        """Shown « (facultatif) »: not required, and not a required file answered by a kept one."""
        return not self.field.required and not getattr(self.field, "answered_by_kept_file", False)

    @property
    def kept_files(self):
        """Files already kept in the draft for this field (name, size, a way to remove)."""
        return getattr(self.form, "kept_files", {}).get(self.name, [])

    @property
    def condition(self):
        """The field's condition as shown (``{"note", "json"}``), or None."""
        # Other forms reuse this bound field and calls/includes/field.html (the applicant's answer).
        field_condition = getattr(self.form, "field_condition", None)
        return field_condition(self.name) or None if field_condition else None

    @property
    def aria_describedby(self):
        if not self.auto_id or self.is_hidden:
            return ""
        ids = []
        if self.condition:
            ids.append(f"{self.auto_id}_condition")
        if self.description:
            ids.append(f"{self.auto_id}_description")
        if self.help_text:
            ids.append(f"{self.auto_id}_helptext")
        if self.hint:
            ids.append(f"{self.auto_id}_hint")
        if self.must_reselect:
            ids.append(f"{self.auto_id}_reselect")
        if self.errors:
            ids.append(f"{self.auto_id}_error")
        return " ".join(ids)

    @property
    def first_input_id(self):
        """Where the error summary's link should land: the first radio or checkbox of a group."""
        if self.use_fieldset:
            return f"{self.auto_id}_0"
        return self.auto_id


# --- The form ------------------------------------------------------------------------------


class CallForm(BaseForm):
    """Base of every call's form: the honeypot, the idempotency token, sections, answers."""

    bound_field_class = CallBoundField
    # Set by CallFormBuilder.get_form_class.
    layout = []
    field_models = {}
    # Conditions (calls/conditions.py): ``{id(section model): Rule}`` and
    # ``{field name: (its section's Rule or None, its own Rule or None)}``.
    section_rules = {}
    field_rules = {}
    hidden_names = frozenset()  # set by clean(): the questions whose conditions are not met
    groups = {}  # section key → RepeatableGroup (calls/groups.py)

    # Hidden from people (off-screen, out of the tab order); bots fill every field.
    qc_site_internet = forms.CharField(label=_("Laissez ce champ vide"), required=False, max_length=200)
    # One per displayed form: a second POST with the same token is the same application.
    # Read by clean_qc_jeton: a malformed one is replaced (never an error on a hidden field).
    qc_jeton = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_NAME].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial[TOKEN_NAME] = uuid.uuid4()
        self.files_to_reselect = []
        self.draft = None
        self.kept_files = {}
        self.autofocus_name = None
        self.build_groups()

    # --- drafts (calls/drafts.py) ---

    @property
    def email_field_name(self):
        """The field whose answer is the applicant's address (and a draft's owner)."""
        for name, model in self.field_models.items():
            if model.purpose == "email":
                return name
        for name, model in self.field_models.items():
            if field_types.get(model.field_type).autocomplete == "email":
                return name
        return None

    def shown_fields(self):
        """The names of the fields this request carries: all of them, or those of the step
        that was posted (a form in steps; the other answers come from the draft)."""
        if self.posted_step is None:
            return set(self.field_models) | set(self.groups)
        if self.every_answer_stored:
            return set()
        return set(self.steps()[self.posted_step]["names"])

    # --- steps: the editor's sections, one per page (``CallPage.form_in_steps``) ---

    in_steps = False
    step = 0  # the step shown
    posted_step = None  # the step whose fields were posted; None: every field was
    stored_answers = {}  # the draft's answers, for the fields of the other steps
    every_answer_stored = False  # ``resume_step``'s check: every answer from the draft

    def use_steps(self, enabled, step=0, posted=False, stored=None):
        """Lay the form out in steps (when the page asks for it and there are at least two
        sections). ``posted``: the request carries only the fields of ``step``; the others
        are read from ``stored`` (the draft's raw answers), so that the whole form is
        validated on every POST, whichever step it comes from."""
        self.in_steps = bool(enabled)
        self.step = min(max(step, 0), len(self.steps()) - 1)
        self.posted_step = self.step if posted and self.step_count > 1 else None
        self.stored_answers = dict(stored or {})
        self.build_groups()

    def steps(self):
        """``[{"title", "description", "help_text", "names"}]``: one step per section when in
        steps, else one step with every field."""
        steps = [{"title": "", "description": "", "help_text": "", "names": []}]
        for kind, item in self.layout:
            if kind == "section":
                steps.append(
                    {"title": item.label, "description": item.description, "help_text": item.help_text, "names": []}
                )
            elif kind == "group":
                steps[-1]["names"].append(item.key)
            else:
                steps[-1]["names"].append(item)
        steps = [s for s in steps if s["names"]]
        if not self.in_steps or len(steps) < 2:
            names = [item.key if kind == "group" else item for kind, item in self.layout if kind != "section"]
            return [{"title": "", "description": "", "help_text": "", "names": names}]
        for step in steps:
            step["title"] = step["title"] or str(_("Premières questions"))
        return steps

    @property
    def step_count(self):
        return len(self.steps())

    @property
    def step_number(self):
        """The step posted back (``qc_etape``): its place among every step, shown or skipped."""
        return self.step + 1

    def shown_steps(self):
        """The indexes of the steps the applicant goes through: a step whose questions
        are all hidden by their conditions (a conditioned section) is skipped."""
        hidden, _values = self.condition_state()
        shown = [
            index
            for index, step in enumerate(self.steps())
            if index == self.step or any(name not in hidden for name in step["names"])
        ]
        return shown

    def next_step(self, index):
        return next((shown for shown in self.shown_steps() if shown > index), None)

    def previous_step(self, index):
        return next((shown for shown in reversed(self.shown_steps()) if shown < index), None)

    def skip_hidden_step(self):
        """On a GET: a step the answers skip shows the next one instead (else the previous)."""
        hidden, _values = self.condition_state()
        if any(name not in hidden for name in self.steps()[self.step]["names"]):
            return
        target = self.next_step(self.step)
        if target is None:
            target = self.previous_step(self.step)
        if target is not None:
            self.step = target

    @property
    def is_last_step(self):
        return self.next_step(self.step) is None

    @property
    def has_previous_step(self):
        return self.previous_step(self.step) is not None

    @property
    def shown_step_number(self):
        """« Étape 2 sur 4 »: counted among the steps the applicant goes through."""
        return self.shown_steps().index(self.step) + 1

    @property
    def shown_step_count(self):
        return len(self.shown_steps())

    def step_titles(self):
        return [self.steps()[index]["title"] for index in self.shown_steps()]

    def step_list(self):
        """The steps gone through, for the list under the heading."""
        return [
            {"title": self.steps()[index]["title"], "current": index == self.step, "done": index < self.step}
            for index in self.shown_steps()
        ]

    def step_title(self):
        return self.steps()[self.step]["title"]

    def step_of(self, name):
        for index, step in enumerate(self.steps()):
            if name in step["names"]:
                return index
        return None

    def resume_step(self, draft):
        """Where a resumed draft opens: the first step with a missing required answer or an
        error, checked on the server from the draft's answers and kept files (the last step,
        with « Envoyer », when every step is complete)."""
        if self.step_count < 2 or draft is None:
            return 0
        check = type(self)(QueryDict(), MultiValueDict(), page=self.page, user=self.user)
        check.use_steps(self.in_steps, posted=True, stored=draft.data)
        check.every_answer_stored = True
        check.attach_draft(draft)
        if check.is_valid():
            return check.step_count - 1
        first = check.first_step_in_error()
        return check.step_count - 1 if first is None else first

    def item_of(self, name):
        """The layout item a form field belongs to: its own name, or its group's key."""
        if name in self.field_models:
            return name
        key = name.split("-", 1)[0]
        if key in self.groups and name.startswith(key + "-"):
            return key
        return None

    def first_step_in_error(self):
        """The first step with a field in error, else None."""
        indexes = [self.step_of(self.item_of(name)) for name in self.errors if self.item_of(name)]
        indexes = [index for index in indexes if index is not None]
        return min(indexes) if indexes else None

    def step_errors(self, index):
        """Whether the fields of step ``index`` (or the form as a whole) have errors."""
        names = set(self.steps()[index]["names"])
        return any(self.item_of(name) in names or self.item_of(name) is None for name in self.errors)

    def keep_errors_of_step(self, index):
        """Show only the errors of the step shown (the others are said when it is reached)."""
        names = set(self.steps()[index]["names"])
        for name in list(self.errors):
            item = self.item_of(name)
            if item is not None and item not in names:
                del self.errors[name]

    def step_sections(self):
        """The sections of the step shown (every section when not in steps)."""
        if self.step_count < 2:
            return self.sections()
        step = self.steps()[self.step]
        section = {key: step[key] for key in ("title", "description", "help_text")}
        if len(step["names"]) == 1 and step["names"][0] in self.groups:
            return [dict(section, fields=[], group=self.bound_group(step["names"][0]), condition=None)]
        fields = [
            self[name] for name in step["names"] if name not in self.groups and self.field_condition(name) is not False
        ]
        return [dict(section, fields=fields, group=None, condition=None)]

    def _widget_data_value(self, widget, html_name):
        # The entries of a repeatable section of another step: from the draft.
        stored = self.__dict__.get("_stored_group_values")
        if stored is not None and html_name in stored:
            value = stored[html_name]
            if value is None:
                return widget.value_from_datadict(QueryDict(), MultiValueDict(), html_name)
            return value
        # A form in steps: the fields of the other steps are read from the draft, never
        # from the POST (a crafted POST cannot answer, nor skip, another step's question).
        if self.posted_step is not None and html_name in self.field_models and html_name not in self.shown_fields():
            if html_name in self.stored_answers and self.field_models[html_name].field_type != "file":
                return self.stored_answers[html_name]
            return widget.value_from_datadict(QueryDict(), MultiValueDict(), html_name)
        return super()._widget_data_value(widget, html_name)

    def attach_draft(self, draft, removed=()):
        """Take the draft's kept files into account: a required file field that has one is
        answered; the owner's address cannot be changed once the draft has one."""
        self.draft = draft
        self.kept_files = {}
        if draft is None:
            return
        for kept in draft.files.all():
            if kept.pk not in removed and kept.field_key in self.fields:
                self.kept_files.setdefault(kept.field_key, []).append(kept)
        for name in self.kept_files:
            # Answered by the kept file: no new file needed, but not « (facultatif) » either.
            if self.fields[name].required:
                self.fields[name].required = False
                self.fields[name].answered_by_kept_file = True
        email_name = self.email_field_name
        if draft.email and not draft.email_provisional and email_name:
            self.fields[email_name].disabled = True
            self.initial[email_name] = draft.email

    def owner_email(self):
        """The draft's owner: its fixed address, else a valid answer to the email field."""
        if self.draft is not None and self.draft.email and not self.draft.email_provisional:
            return self.draft.email
        name = self.email_field_name
        if name and hasattr(self, "cleaned_data") and self.cleaned_data.get(name):
            return str(self.cleaned_data[name]).strip().lower()
        return ""

    # --- conditional questions (calls/conditions.py) ---

    def _hidden_from(self, get_value):
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
                state = self._hidden_from(lambda name: self.cleaned_data.get(name))
            else:
                state = self._hidden_from(self._initial_answer)
            self._condition_state = cached = (validated, state)
        return cached[1]

    def on_page(self):
        """The fields shown together (the step's, or all of them): their answers can
        change in the browser; the others' are known to the server."""
        if self.step_count < 2:
            return set(self.field_models)
        return set(self.steps()[self.step]["names"])

    def condition_display(self, rule, section=False):
        """``None``: asked whatever the answers; ``False``: not asked (decided by the
        answers of other steps); else ``{"note", "json"}`` for the template and the script."""
        if rule is None:
            return None
        _hidden, values = self.condition_state()
        result = rule.for_browser(self.field_models, values, self.on_page())
        if result is True:
            return None
        if result is False:
            return False
        if section:
            note = _("Section à remplir si %(condition)s.") % {"condition": rule.describe()}
        else:
            note = _("À remplir si %(condition)s.") % {"condition": rule.describe()}
        return {"note": note, "json": json.dumps(result, ensure_ascii=False)}

    def field_condition(self, name):
        section_rule, own_rule = self.field_rules.get(name, (None, None))
        if self.step_count > 1 and self.condition_display(section_rule, section=True) is False:
            return False
        return self.condition_display(own_rule)

    def clean(self):
        cleaned = super().clean()
        # The server's word: a question whose conditions are not met (with the answers
        # cleaned above) is neither required nor stored, whatever the POST carries.
        hidden, _values = self._hidden_from(lambda name: cleaned.get(name))
        self.hidden_names = frozenset(hidden)
        for name in hidden:
            cleaned.pop(name, None)
            self._errors.pop(name, None)
        for name, kept in self.kept_files.items():
            if name in hidden:
                continue
            field = self.fields[name]
            new_files = cleaned.get(name) or []
            if isinstance(field, AttachmentField) and field.multiple and len(kept) + len(new_files) > field.max_files:
                self.add_error(name, field.error_messages["too_many"] % {"max": field.max_files})
        for group in self.groups.values():
            self.clean_group(group, cleaned)
        self.apply_legal_form_rule()
        return cleaned

    # --- the legal form and its identifier ---

    def legal_form_name(self):
        """The first « Forme juridique » field, which decides the identifier asked."""
        for name, model in self.field_models.items():
            if model.field_type == "legal_form":
                return name
        return None

    def apply_legal_form_rule(self):
        """Once the legal form is answered, only the identifier it has is required, and the
        other one is neither checked nor stored: « Association » asks for the RNA number, a
        business or a cooperative for the SIRET, « Autre » for neither (each kept if given).
        No legal form answered: each identifier field follows its own « obligatoire ».

        Enforced here, on the server, whatever the page showed: a forged POST answering both
        keeps only the matching one. It reads only the answers and the field types, so it
        holds whether the other identifier was hidden by a condition or left on the page.
        """
        legal_name = self.legal_form_name()
        if legal_name is None or not self.cleaned_data.get(legal_name):
            return
        code = self.cleaned_data[legal_name]
        expected = identifier_for_legal_form(code)
        for name, model in self.field_models.items():
            if not field_types.get(model.field_type).identifier or name in self.hidden_names:
                continue  # (a question hidden by its conditions is already neither asked nor kept)
            if expected is None:
                # « Autre »: no identifier is required; one given (and valid) is kept.
                if self._errors and name in self._errors:
                    if {error.code for error in self._errors[name].as_data()} == {"required"}:
                        del self._errors[name]
                        self.cleaned_data[name] = ""
            elif model.field_type != expected:
                # Not this legal form's identifier: whatever was typed is dropped.
                if self._errors and name in self._errors:
                    del self._errors[name]
                self.cleaned_data[name] = ""
            elif not self.cleaned_data.get(name) and not (self._errors and name in self._errors):
                self.add_error(
                    name,
                    _("Ce numéro est demandé pour la forme juridique « %(legal_form)s ».")
                    % {"legal_form": legal_form_label(code)},
                )

    # --- repeatable sections (calls/groups.py) ---

    # Never more fields than this per group, whatever count a forged POST announces.
    ENTRIES_READ_CAP = repeat.MAX_REPEATABLE_ENTRIES + 5

    def build_groups(self):
        """Create the fields of each entry of each repeatable section, from the POST (the
        group shown), the draft (a group of another step) or the initial answers (a page
        shown afresh). Entries up to the last one filled, and at least the minimum, are
        « present »: their required fields are required; later empty ones are ignored."""
        self._stored_group_values = {}
        self.group_counts = {}
        self.group_present = {}
        self.group_overflow = set()  # groups whose POST announced more entries than are read
        for group in self.groups.values():
            for name in [name for name in self.fields if self.item_of(name) == group.key]:
                del self.fields[name]
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
                            self._stored_group_values[group.field_name(n, key)] = entry.get(key)
                        elif key in entry:
                            self.initial[group.field_name(n, key)] = entry[key]
                if self.is_bound:
                    self._stored_group_values[group.count_name] = str(count)
                else:
                    self.initial[group.count_name] = count
            filled = [n for n, entry in enumerate(raw, start=1) if not all(repeat.is_empty(v) for v in entry.values())]
            present = max([group.min, *filled]) if self.is_bound else count
            self.group_counts[group.key] = count
            self.group_present[group.key] = min(present, count) if self.is_bound else count
            self.fields[group.count_name] = forms.IntegerField(widget=forms.HiddenInput, required=False)
            for n in range(1, count + 1):
                for key, _model, prototype in group.members:
                    # Required as the editor set it (shown so); relaxed while cleaning the
                    # entries past the present ones (``full_clean``).
                    self.fields[group.field_name(n, key)] = copy.deepcopy(prototype)
        self._bound_fields_cache = {}

    def _posted_count(self, group):
        value = str(self.data.get(group.count_name, "")).strip()
        count = int(value) if value.isdigit() else 0
        if count > self.ENTRIES_READ_CAP:
            self.group_overflow.add(group.key)
        return min(count, self.ENTRIES_READ_CAP)

    def _raw_posted(self, name, field):
        return field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))

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
            {
                member: self._widget_data_value(field.widget, group.field_name(n, member))
                for member, _model, field in group.members
            }
            for n in range(1, self.group_counts.get(key, 0) + 1)
        ]

    def group_action(self, action):
        """« Ajouter un partenaire » or « Retirer » without JavaScript: change the entries
        posted (``ajouter:<key>``, ``retirer:<key>:<n>``) and lay the group out again, with
        only the files' errors kept (a file that failed its checks is said at once). Returns
        whether ``action`` was one of these."""
        parts = str(action or "").split(":")
        if len(parts) < 2 or parts[0] not in (repeat.ADD_ACTION, repeat.REMOVE_ACTION) or parts[1] not in self.groups:
            return False
        group = self.groups[parts[1]]
        errors = ErrorDict(
            (name, messages)
            for name, messages in self.errors.items()
            if isinstance(self.fields.get(name), AttachmentField)
        )
        if group.key not in self.shown_fields():
            self._errors = errors
            return True
        data = self.data.copy()
        count = self._posted_count(group)
        if parts[0] == repeat.ADD_ACTION:
            if count >= group.max:
                focus, message = None, group.too_many_message()
            else:
                count += 1
                focus, message = group.field_name(count, group.member_keys[0]), None
        else:
            number = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
            if not 1 <= number <= count:
                return True
            if count <= group.min:
                focus, message = None, group.too_few_message()
            else:
                self._shift_entries(data, group, number, count)
                count -= 1
                focus = group.field_name(min(number, count), group.member_keys[0]) if count else None
                message = None
        data[group.count_name] = str(count)
        self.data = data
        self.build_groups()
        self._errors = errors
        if message:
            self._errors[group.count_name] = self.error_class([message])
        self.autofocus_name = focus
        if focus:
            self.fields[focus].widget.attrs["autofocus"] = True
        return True

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
            numbers = [repeat.to_decimal(value) for value in values]
            total = sum((number for number in numbers if number is not None), decimal.Decimal(0))
            totals.append({"key": member, "label": model.label, "display": repeat.format_number(total)})
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

    # --- validation helpers ---

    def full_clean(self):
        relaxed = []
        for group in self.groups.values():
            present = self.group_present.get(group.key, 0)
            for n in range(present + 1, self.group_counts.get(group.key, 0) + 1):
                for key in group.member_keys:
                    field = self.fields[group.field_name(n, key)]
                    if field.required:
                        field.required = False
                        relaxed.append(field)
        try:
            super().full_clean()
        finally:
            for field in relaxed:
                field.required = True
        self.update_files_to_reselect()

    def update_files_to_reselect(self, also=()):
        """The browser cannot keep chosen files: note which ones must be chosen again
        (those sent with this request, and ``also``: those the upload guard skipped)."""
        if not (self.is_bound and self.errors):
            self.files_to_reselect = []
            return
        # Files of a field without error passed their checks: they are kept in the draft
        # (calls/drafts.py), so only those of a field in error must be chosen again.
        self.files_to_reselect = [
            name
            for name, field in self.fields.items()
            if isinstance(field, AttachmentField) and name in self.errors and (self.files.getlist(name) or name in also)
        ]

    def clean_qc_jeton(self):
        """The POSTed token as a UUID. Missing: a fresh one. Malformed (altered by hand or a
        broken extension): a fresh one, written back into the form's data so the page shown
        again carries it, and a French message; the next POST goes through."""
        value = str(self.cleaned_data.get(TOKEN_NAME) or "").strip()
        if not value:
            return uuid.uuid4()
        try:
            return uuid.UUID(value)
        except ValueError:
            token = uuid.uuid4()
            self.data = self.data.copy()
            self.data[self.add_prefix(TOKEN_NAME)] = str(token)
            self.add_error(
                None,
                _(
                    "Le formulaire n'a pas été reconnu (son jeton était abîmé) : rien n'a été envoyé. Vos réponses "
                    "sont gardées ; vérifiez-les et envoyez de nouveau."
                ),
            )
            return token

    @property
    def token(self):
        return self.cleaned_data[TOKEN_NAME]

    @property
    def honeypot_filled(self):
        return bool(self.cleaned_data.get(HONEYPOT_NAME, "").strip())

    # --- rendering helpers ---

    def sections(self):
        """Fields grouped under their section headings, in the order the editor set."""
        sections = [{"title": "", "description": "", "help_text": "", "fields": [], "condition": None, "group": None}]
        for kind, item in self.layout:
            if kind == "section":
                condition = self.condition_display(self.section_rules.get(id(item)), section=True)
                sections.append(
                    {
                        "title": item.label,
                        "description": item.description,
                        "help_text": item.help_text,
                        "fields": [],
                        "condition": condition,
                        "group": None,
                    }
                )
            elif kind == "group":
                sections[-1]["group"] = self.bound_group(item.key)
            elif self.field_condition(item) is not False:
                sections[-1]["fields"].append(self[item])
        return [s for s in sections if (s["fields"] or s["title"] or s["group"]) and s["condition"] is not False]

    def documents_to_prepare(self):
        """The file fields, for the list shown before the form: label, formats, optional."""
        return [
            {
                "label": self[name].label,
                "hint": field.hint,
                "required": field.required or getattr(field, "answered_by_kept_file", False),
            }
            for name, field in self.fields.items()
            if isinstance(field, AttachmentField)
        ]

    def error_summary(self):
        items = []
        for name, errors in self.errors.items():
            group_key = self.item_of(name)
            if group_key in self.groups and name == self.groups[group_key].count_name:
                group = self.groups[group_key]
                items.append({"href": f"#{group.key}-entrees", "label": group.label, "message": errors[0]})
            elif group_key in self.groups and name in self.fields:
                number = name.split("-")[1]
                label = f"{self.groups[group_key].entry_title(number)} – {self[name].label}"
                items.append({"href": f"#{self[name].first_input_id}", "label": label, "message": errors[0]})
            elif name in self.fields and not self[name].is_hidden:
                items.append({"href": f"#{self[name].first_input_id}", "label": self[name].label, "message": errors[0]})
        items += [{"href": "", "label": "", "message": message} for message in self.non_field_errors()]
        return items

    def reselect_labels(self):
        return [self[name].label for name in self.files_to_reselect]

    # --- stored data ---

    def answers(self):
        """Return ``(answers, files)``: the JSON answers keyed by field key, and the cleaned
        files by field key. Each answer keeps the label it was given under."""
        answers, files = {}, {}
        for kind, name in self.layout:
            if kind == "section" or name in self.hidden_names:
                continue
            if kind == "group":
                answers[name.key] = self.group_answer(name, position=len(answers))
                continue
            model = self.field_models[name]
            value = self.cleaned_data.get(name)
            # PostgreSQL's jsonb does not keep key order: the position keeps the form's order.
            entry = {"label": model.label, "type": model.field_type, "position": len(answers)}
            kind = field_types.get(model.field_type)
            if kind.files:
                new_files = list(value or [])
                kept = self.kept_files.get(name, [])
                # A new file replaces the kept one of a single-file field.
                if new_files and not model.multiple_files:
                    kept = []
                files[name] = list(kept) + new_files
                entry["value"] = [f.display_name for f in files[name]]
                entry["display"] = ", ".join(f"{f.display_name} ({format_size(f.size)})" for f in files[name])
            else:
                entry["value"], entry["display"] = serialise_answer(model, value)
                if kind.keeps_text:
                    # The text as the applicant saw it: the proof of what they agreed to.
                    entry["text"] = model.description
            answers[name] = entry
        return answers, files

    def group_answer(self, group, position):
        """The stored answer of a repeatable section (see calls/groups.py)."""
        fields = [{"key": key, "label": model.label, "type": model.field_type} for key, model, _f in group.members]
        values, displays = [], []
        for entry in self.cleaned_data.get(group.key) or []:
            value, display = {}, {}
            for key, model, _field in group.members:
                value[key], display[key] = serialise_answer(model, entry.get(key))
            values.append(value)
            displays.append(display)
        answer = {
            "label": group.label,
            "type": "group",
            "position": position,
            "entry_label": group.entry_label,
            "fields": fields,
            "value": values,
            "entries": displays,
            "totals": repeat.totals(fields, values),
        }
        answer["display"] = repeat.display_text(answer)
        return answer

    def applicant_columns(self):
        """The answers the Application keeps in its own columns, for lists and emails."""
        columns = {}
        by_purpose = {"name": "applicant_name", "email": "applicant_email", "organization": "business_name"}
        by_purpose["address-level2"] = "town"
        for name, model in self.field_models.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            column = by_purpose.get(model.purpose)
            kind = field_types.get(model.field_type)
            if kind.applicant_column:
                column = kind.applicant_column
            elif kind.autocomplete == "email" and "applicant_email" not in columns and not column:
                column = "applicant_email"
            if model.field_type == "address":
                columns.setdefault("town", value.commune_name[:255])
                if qpv_check.region_of(value):
                    columns.setdefault("region", qpv_check.region_of(value))
                columns.setdefault("address", value)
                continue
            if column and column not in columns:
                columns[column] = str(value)[:255]
        return columns


# --- The builder ------------------------------------------------------------------------------


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
                    group = repeat.RepeatableGroup(field, [])
                    groups[group.key] = group
                    layout.append(("group", group))
            elif group is not None:
                # A field of a repeatable section: copied once per entry (CallForm.build_groups).
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
        attrs.update(
            layout=layout,
            field_models=field_models,
            section_rules=section_rules,
            field_rules=field_rules,
            groups=groups,
        )
        return type("CallPageForm", (CallForm,), attrs)
