"""The call's form: the form class that lays the fields out in sections, summarises errors,
keeps a draft's files and turns answers into stored data.

``builder.CallFormBuilder`` makes one subclass of ``CallForm`` per call, with its own layout,
fields, rules, groups and step plan. The form's parts each live in their module: the steps
(``steps.py``), the conditional questions (``form_conditions.py``), the repeatable sections
(``repeatable_form.py``), the honeypot and the token (``form_guard.py``). ``CallForm.clean``
applies the legal form's rule: only the identifier that legal form has (SIRET or RNA) is
required and stored.
"""

from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm

from . import field_types, qpv_check
from . import repeatable as repeat
from .answers import serialise_answer
from .attachments.kinds import format_size
from .fields import (
    identifier_for_legal_form,
    legal_form_label,
)
from .file_fields import AttachmentField
from .form_conditions import ConditionsMixin
from .form_guard import GuardedForm
from .repeatable_form import RepeatableMixin
from .steps import StepsMixin

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


class CallForm(StepsMixin, ConditionsMixin, RepeatableMixin, GuardedForm, BaseForm):
    """Base of every call's form. Its subclass (``builder.CallFormBuilder.get_form_class``)
    sets ``layout`` (``[("section", model) | ("field", name) | ("group", group)]``),
    ``field_models`` (name → CallFormField), ``section_rules`` and ``field_rules``
    (``form_conditions.py``), ``groups`` (``repeatable_form.py``) and ``step_plan``.

    The steps are given when the form is made (``in_steps``, ``step``; ``posted``: the request
    carries only the fields of ``step``, the others are read from ``stored``, the draft's raw
    answers, so that the whole form is validated on every POST, whichever step it comes
    from; ``every_answer_stored``: every answer from the draft)."""

    bound_field_class = CallBoundField

    def __init__(self, *args, in_steps=False, step=0, posted=False, stored=None, every_answer_stored=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_to_reselect = []
        self.draft = None
        self.removed_files = frozenset()
        self.kept_files = {}
        self.autofocus_name = None
        self.hidden_names = frozenset()  # set by clean(): the questions whose conditions are not met
        self.step_options = {
            "in_steps": in_steps,
            "step": step,
            "posted": posted,
            "stored": stored,
            "every_answer_stored": every_answer_stored,
        }
        self.init_steps(**self.step_options)
        self.build_groups()

    def rebound(self, data):
        """A form like this one (same steps, same draft) bound to ``data``."""
        form = type(self)(data, self.files, page=self.page, user=self.user, **self.step_options)
        form.attach_draft(self.draft, removed=self.removed_files)
        return form

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

    def attach_draft(self, draft, removed=()):
        """Take the draft's kept files into account: a required file field that has one is
        answered; the owner's address cannot be changed once the draft has one."""
        self.draft = draft
        self.removed_files = frozenset(removed)
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

    def clean(self):
        cleaned = super().clean()
        # The server's word: a question whose conditions are not met (with the answers
        # cleaned above) is neither required nor stored, whatever the POST carries.
        hidden, _values = self.hidden_questions(lambda name: cleaned.get(name))
        self.hidden_names = frozenset(hidden)
        for name in hidden:
            cleaned.pop(name, None)
            self.errors.pop(name, None)
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
                if name in self.errors:
                    if {error.code for error in self.errors[name].as_data()} == {"required"}:
                        del self.errors[name]
                        self.cleaned_data[name] = ""
            elif model.field_type != expected:
                # Not this legal form's identifier: whatever was typed is dropped.
                if name in self.errors:
                    del self.errors[name]
                self.cleaned_data[name] = ""
            elif not self.cleaned_data.get(name) and name not in self.errors:
                self.add_error(
                    name,
                    _("Ce numéro est demandé pour la forme juridique « %(legal_form)s ».")
                    % {"legal_form": legal_form_label(code)},
                )

    # --- validation helpers ---

    def full_clean(self):
        relaxed = self.relax_absent_entries()
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

    def keep_only_errors(self, names):
        """Drop every error but those of ``names`` (``None``: the form's own messages)."""
        keep = {"__all__" if name is None else name for name in names}
        for name in [name for name in self.errors if name not in keep]:
            del self.errors[name]

    def refuse_files(self, messages_by_name):
        """The files the upload guard skipped (too big, too many, calls/uploads.py): their
        messages replace those of their field, and nothing of the field is kept."""
        for name, messages in messages_by_name.items():
            self.errors.pop(name, None)
            self.add_error(name, list(messages))

    def ask_again_for_sent_files(self):
        """Every file sent with this request must be chosen again (none was kept)."""
        self.files_to_reselect = [
            name for name, model in self.field_models.items() if model.field_type == "file" and self.files.getlist(name)
        ]

    # --- rendering helpers ---

    def sections(self):
        """Fields grouped under their section headings, in the order the editor set."""
        sections = [{"title": "", "description": "", "help_text": "", "fields": [], "condition": None, "group": None}]
        for kind, item in self.layout:
            if kind == "section":
                rule = self.section_rules.get(id(item))
                sections.append(
                    {
                        "title": item.label,
                        "description": item.description,
                        "help_text": item.help_text,
                        "fields": [],
                        "condition": self.section_rule_note(rule),
                        "group": None,
                        "skipped": self.rule_skips(rule),
                    }
                )
            elif kind == "group":
                sections[-1]["group"] = self.bound_group(item.key)
            elif not self.field_skipped(item):
                sections[-1]["fields"].append(self[item])
        return [s for s in sections if (s["fields"] or s["title"] or s["group"]) and not s.get("skipped")]

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
        """The stored answer of a repeatable section (see calls/repeatable.py)."""
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
