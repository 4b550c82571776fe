"""The call's form: the form builder with the project's field types, and the form class
that lays fields out in sections, summarises errors and turns answers into stored data.

Wagtail builds a Django form from the page's fields; ``CallFormBuilder`` adds the types
(file, region, kind of business, SIRET, RNA, legal form, amount in euros, IBAN, date range,
yes/no, consent, image rights, phone, section heading) and bounds long texts. ``CallForm.clean``
applies the legal form's rule: only the identifier that legal form has (SIRET or RNA) is
required and stored. https://docs.wagtail.org/en/stable/reference/contrib/forms/customisation.html
"""

import datetime
import decimal
import json
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.utils import get_field_clean_name

from stories.taxonomy import BusinessKind, Region
from territory.forms import Address, AddressField

from . import conditions, qpv_check
from .attachments.kinds import format_size
from .fields import (
    IDENTIFIER_FIELD_TYPES,
    AmountField,
    AttachmentField,
    ConsentField,
    DateRangeField,
    EuroAmountField,
    IbanField,
    ImageRightsField,
    LegalForm,
    PhoneField,
    PostalCodeField,
    RnaField,
    SiretField,
    YesNoField,
    format_euros,
    format_iban,
    format_phone,
    format_siret,
    identifier_for_legal_form,
    legal_form_label,
)

SINGLELINE_MAX_LENGTH = 255
MULTILINE_MAX_LENGTH = 5000

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

    # Hidden from people (off-screen, out of the tab order); bots fill every field.
    qc_site_internet = forms.CharField(label=_("Laissez ce champ vide"), required=False, max_length=200)
    # One per displayed form: a second POST with the same token is the same application.
    qc_jeton = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_NAME].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial[TOKEN_NAME] = uuid.uuid4()
        self.files_to_reselect = []
        self.draft = None
        self.kept_files = {}

    # --- drafts (calls/drafts.py) ---

    @property
    def email_field_name(self):
        """The field whose answer is the applicant's address (and a draft's owner)."""
        for name, model in self.field_models.items():
            if model.purpose == "email":
                return name
        for name, model in self.field_models.items():
            if model.field_type == "email":
                return name
        return None

    def shown_fields(self):
        """The names of the fields this request carries: all of them, or those of the step
        that was posted (a form in steps; the other answers come from the draft)."""
        if self.posted_step is None:
            return set(self.field_models)
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

    def steps(self):
        """``[{"title", "description", "help_text", "names"}]``: one step per section when in
        steps, else one step with every field."""
        groups = [{"title": "", "description": "", "help_text": "", "names": []}]
        for kind, item in self.layout:
            if kind == "section":
                groups.append(
                    {"title": item.label, "description": item.description, "help_text": item.help_text, "names": []}
                )
            else:
                groups[-1]["names"].append(item)
        groups = [g for g in groups if g["names"]]
        if not self.in_steps or len(groups) < 2:
            return [{"title": "", "description": "", "help_text": "", "names": list(self.field_models)}]
        for group in groups:
            group["title"] = group["title"] or str(_("Premières questions"))
        return groups

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

    def first_step_in_error(self):
        """The first step with a field in error, else None."""
        indexes = [self.step_of(name) for name in self.errors if name in self.field_models]
        indexes = [index for index in indexes if index is not None]
        return min(indexes) if indexes else None

    def step_errors(self, index):
        """Whether the fields of step ``index`` (or the form as a whole) have errors."""
        names = set(self.steps()[index]["names"])
        return any(name in names or name not in self.field_models for name in self.errors)

    def keep_errors_of_step(self, index):
        """Show only the errors of the step shown (the others are said when it is reached)."""
        names = set(self.steps()[index]["names"])
        for name in list(self.errors):
            if name in self.field_models and name not in names:
                del self.errors[name]

    def step_sections(self):
        """The sections of the step shown (every section when not in steps)."""
        if self.step_count < 2:
            return self.sections()
        step = self.steps()[self.step]
        fields = [self[name] for name in step["names"] if self.field_condition(name) is not False]
        section = {key: step[key] for key in ("title", "description", "help_text")}
        return [dict(section, fields=fields, condition=None)]

    def _widget_data_value(self, widget, html_name):
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
            if model.field_type not in IDENTIFIER_FIELD_TYPES:
                continue
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

    # --- validation helpers ---

    def full_clean(self):
        super().full_clean()
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
        return self.cleaned_data.get(TOKEN_NAME) or uuid.uuid4()

    @property
    def token(self):
        return self.cleaned_data[TOKEN_NAME]

    @property
    def honeypot_filled(self):
        return bool(self.cleaned_data.get(HONEYPOT_NAME, "").strip())

    # --- rendering helpers ---

    def sections(self):
        """Fields grouped under their section headings, in the order the editor set."""
        sections = [{"title": "", "description": "", "help_text": "", "fields": [], "condition": None}]
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
                    }
                )
            elif self.field_condition(item) is not False:
                sections[-1]["fields"].append(self[item])
        return [s for s in sections if (s["fields"] or s["title"]) and s["condition"] is not False]

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
        items = [
            {"href": f"#{self[name].first_input_id}", "label": self[name].label, "message": errors[0]}
            for name, errors in self.errors.items()
            if name in self.fields and not self[name].is_hidden
        ]
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
            model = self.field_models[name]
            value = self.cleaned_data.get(name)
            # PostgreSQL's jsonb does not keep key order: the position keeps the form's order.
            entry = {"label": model.label, "type": model.field_type, "position": len(answers)}
            if model.field_type == "file":
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
                if model.field_type in {"consent", "image_rights"}:
                    # The text as the applicant saw it: the proof of what they agreed to.
                    entry["text"] = model.description
            answers[name] = entry
        return answers, files

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
            if model.field_type == "region":
                column = "region"
            elif model.field_type == "business_kind":
                column = "business_kind"
            elif model.field_type == "email" and "applicant_email" not in columns and not column:
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


def serialise_answer(model, value):
    """``(value, display)`` of one answer: JSON-ready, and as a person reads it."""
    field_type = model.field_type
    if value is None or value == "":
        return "", ""
    if field_type in {"checkbox", "consent", "image_rights", "yes_no"}:
        return bool(value), str(_("Oui") if value else _("Non"))
    if field_type == "legal_form":
        return value, legal_form_label(value)
    if field_type == "amount":
        return str(value), format_euros(value)
    if field_type == "tel":
        return value, format_phone(value)
    if field_type == "iban":
        return value, format_iban(value)
    if field_type == "date_range":
        start, end = value["start"], value["end"]
        display = _("du %(start)s au %(end)s") % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }
        return {"start": start.isoformat(), "end": end.isoformat()}, str(display)
    if field_type == "region":
        return value, str(Region(value).label)
    if field_type == "business_kind":
        return value, str(BusinessKind(value).label)
    if field_type == "siret":
        return value, format_siret(value)
    if isinstance(value, Address):
        return value.as_json(), value.display()
    if isinstance(value, list):
        return [str(v) for v in value], ", ".join(str(v) for v in value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(), date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return value.isoformat(), date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, decimal.Decimal):
        return str(value), number_format(value, use_l10n=True, force_grouping=True)
    return value, str(value)


CHOICE_FIELD_TYPES = {
    "dropdown",
    "radio",
    "checkboxes",
    "multiselect",
    "region",
    "business_kind",
    "legal_form",
    "yes_no",
}


# --- The builder ------------------------------------------------------------------------------


class CallFormBuilder(FormBuilder):
    def __init__(self, fields):
        self.all_fields = list(fields)
        super().__init__([f for f in self.all_fields if f.field_type != "section"])

    # Wagtail's types, bounded and with mobile-friendly inputs.

    def create_singleline_field(self, field, options):
        if field.purpose == "postal-code":
            return PostalCodeField(**options)
        options["max_length"] = SINGLELINE_MAX_LENGTH
        return forms.CharField(**options)

    def create_multiline_field(self, field, options):
        options["max_length"] = MULTILINE_MAX_LENGTH
        options.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        formfield = forms.CharField(**options)
        limit = number_format(MULTILINE_MAX_LENGTH, force_grouping=True)
        formfield.hint = _("%(n)s caractères au maximum.") % {"n": limit}
        return formfield

    def create_email_field(self, field, options):
        options["max_length"] = 254
        options.setdefault("widget", forms.EmailInput(attrs={"spellcheck": "false"}))
        return forms.EmailField(**options)

    def create_number_field(self, field, options):
        options.setdefault("max_digits", 14)
        options.setdefault("decimal_places", 2)
        return AmountField(**options)

    def create_date_field(self, field, options):
        options.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        return forms.DateField(**options)

    def create_datetime_field(self, field, options):
        options.setdefault("widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
        return forms.DateTimeField(**options)

    def create_dropdown_field(self, field, options):
        options["choices"] = [("", _("Choisir…"))] + self.get_formatted_field_choices(field)
        return forms.ChoiceField(**options)

    # The project's types.

    def create_tel_field(self, field, options):
        return PhoneField(**options)

    def create_region_field(self, field, options):
        options["choices"] = [("", _("Choisir une région"))] + list(Region.choices)
        options["initial"] = None
        return forms.ChoiceField(**options)

    def create_business_kind_field(self, field, options):
        options["choices"] = list(BusinessKind.choices)
        options["initial"] = None
        options.setdefault("widget", forms.RadioSelect)
        return forms.ChoiceField(**options)

    def create_address_field(self, field, options):
        options["initial"] = None
        options.pop("error_messages", None)  # the field's own: « Indiquez l'adresse du commerce… »
        return AddressField(**options)

    def create_siret_field(self, field, options):
        options["initial"] = None
        return SiretField(**options)

    def create_rna_field(self, field, options):
        options["initial"] = None
        return RnaField(**options)

    def create_legal_form_field(self, field, options):
        options["choices"] = list(LegalForm.choices)
        options["initial"] = None
        options.setdefault("widget", forms.RadioSelect)
        return forms.ChoiceField(**options)

    def create_amount_field(self, field, options):
        return EuroAmountField(**options)

    def create_iban_field(self, field, options):
        options["initial"] = None
        return IbanField(**options)

    def create_date_range_field(self, field, options):
        options["initial"] = None
        return DateRangeField(**options)

    def create_yes_no_field(self, field, options):
        options["initial"] = None
        return YesNoField(**options)

    def create_consent_field(self, field, options):
        options["initial"] = False
        return ConsentField(text=field.description, **options)

    def create_image_rights_field(self, field, options):
        options["initial"] = False
        return ImageRightsField(text=field.description, **options)

    def create_file_field(self, field, options):
        return AttachmentField(
            kinds=field.allowed_kinds or ["pdf"],
            max_size=(field.max_size_mb or 5) * 1024 * 1024,
            multiple=field.multiple_files,
            **options,
        )

    def get_field_options(self, field):
        options = super().get_field_options(field)
        # Wagtail escapes the help text already (WAGTAILFORMS_HELP_TEXT_ALLOW_HTML = False).
        options["help_text"] = conditional_escape(field.help_text)
        if field.field_type in CHOICE_FIELD_TYPES:
            options["error_messages"] = {"required": _("Choisissez une réponse.")}
        elif field.field_type == "checkbox":
            options["error_messages"] = {"required": _("Cochez cette case.")}
        elif field.field_type not in {"file", "consent", "image_rights"}:
            options["error_messages"] = {"required": _("Ce champ est obligatoire.")}
        return options

    @property
    def formfields(self):
        formfields = super().formfields
        for field in self.fields:
            formfield = formfields[field.clean_name or field.get_field_clean_name()]
            token = field.purpose or {"email": "email", "tel": "tel"}.get(field.field_type, "")
            if token and not isinstance(formfield, AttachmentField):
                formfield.widget.attrs["autocomplete"] = token
            if field.purpose == "email" or field.field_type == "email":
                formfield.widget.attrs.setdefault("inputmode", "email")
            if field.purpose == "tel":
                formfield.widget.attrs.setdefault("inputmode", "tel")
        return formfields

    def get_form_class(self):
        formfields = self.formfields
        layout, field_models = [], {}
        # Conditions (calls/conditions.py): a section's apply to every field until the next one.
        section_rules, field_rules, section_rule, before = {}, {}, None, []
        for field in self.all_fields:
            rule = conditions.parse_quietly(field.conditions, field.condition_match, before)
            before.append(field)
            if field.field_type == "section":
                layout.append(("section", field))
                section_rule = rule
                if rule is not None:
                    section_rules[id(field)] = rule
            else:
                name = field.clean_name or field.get_field_clean_name()
                layout.append(("field", name))
                field_models[name] = field
                if section_rule is not None or rule is not None:
                    field_rules[name] = (section_rule, rule)
        attrs = dict(formfields)
        attrs.update(layout=layout, field_models=field_models, section_rules=section_rules, field_rules=field_rules)
        return type("CallPageForm", (CallForm,), attrs)
