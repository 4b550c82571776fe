"""A call's form in steps: the editor's sections, one per page (``CallPage.form_in_steps``).

``StepPlan`` is computed once from the form class's layout (by ``builder.CallFormBuilder``):
one step per section, or a single step with every field. ``StepsMixin`` is the form's side:
which step is shown (``show_step``), which one was posted, where a draft resumes, and which
steps the answers skip. On a POST of one step, the fields of the other steps are read from
the draft, never from the request: their widgets are given the draft's value
(``answer_from_draft``) before anything reads them.
"""

import functools
from types import MappingProxyType

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

MISSING = object()  # ``answer_from_draft``: the draft has no answer (the field reads as empty)


def _step(title="", description="", help_text="", names=()):
    return MappingProxyType({"title": title, "description": description, "help_text": help_text, "names": names})


class StepPlan:
    """The steps of a layout (``[("section", model) | ("field", name) | ("group", group)]``):
    ``by_section`` (one step per section holding fields; the first, before any section, is
    « Premières questions ») and ``single`` (one step with every field). A form with fewer than
    two sections holding fields has a single step either way."""

    def __init__(self, layout):
        names = tuple(item.key if kind == "group" else item for kind, item in layout if kind != "section")
        self.single = (_step(names=names),)
        sections = [{"title": "", "description": "", "help_text": "", "names": []}]
        for kind, item in layout:
            if kind == "section":
                sections.append(
                    {"title": item.label, "description": item.description, "help_text": item.help_text, "names": []}
                )
            else:
                sections[-1]["names"].append(item.key if kind == "group" else item)
        sections = [section for section in sections if section["names"]]
        if len(sections) < 2:
            self.by_section = self.single
        else:
            self.by_section = tuple(
                _step(
                    title=section["title"] or _("Premières questions"),
                    description=section["description"],
                    help_text=section["help_text"],
                    names=tuple(section["names"]),
                )
                for section in sections
            )

    def steps(self, in_steps):
        return self.by_section if in_steps else self.single


class _AnswerFromDraft:
    """Mixin of a widget whose value is the draft's answer, whatever the request carries."""

    draft_value = MISSING

    def value_from_datadict(self, data, files, name):
        if self.draft_value is MISSING:
            return super().value_from_datadict(QueryDict(), MultiValueDict(), name)
        return self.draft_value


@functools.cache
def _draft_widget_class(widget_class):
    return type(f"Draft{widget_class.__name__}", (_AnswerFromDraft, widget_class), {})


def answer_from_draft(field, value=MISSING):
    """Make ``field`` (a form's own copy) read ``value`` instead of the request (``MISSING``:
    as if nothing were posted). Django's documented hook: the widget's value_from_datadict."""
    widget = field.widget
    widget.__class__ = _draft_widget_class(type(widget))
    widget.draft_value = value


class StepsMixin:
    """The form's steps. Set by ``__init__`` (``forms.CallForm``): ``in_steps``, ``step`` (the
    step shown), ``posted_step`` (the step whose fields were posted; None: every field was),
    ``stored_answers`` (the draft's raw answers, for the fields of the other steps) and
    ``every_answer_stored`` (every answer from the draft: ``resume_step``, the recap)."""

    def init_steps(self, *, in_steps, step, posted, stored, every_answer_stored):
        self.in_steps = bool(in_steps)
        self.step = 0
        self.show_step(step)
        self.posted_step = self.step if posted and self.step_count > 1 else None
        self.stored_answers = dict(stored or {})
        self.every_answer_stored = bool(every_answer_stored)
        if self.posted_step is None:
            return
        # The fields of the other steps are read from the draft, never from the POST (a
        # crafted POST cannot answer, nor skip, another step's question).
        shown = self.shown_fields()
        for name, model in self.field_models.items():
            if name in shown:
                continue
            if name in self.stored_answers and model.field_type != "file":
                answer_from_draft(self.fields[name], self.stored_answers[name])
            else:
                answer_from_draft(self.fields[name])

    def steps(self):
        """``[{"title", "description", "help_text", "names"}]``: one step per section when in
        steps, else one step with every field (read-only, computed once per form class)."""
        return self.step_plan.steps(self.in_steps)

    def show_step(self, index):
        """Show step ``index`` (clamped to the form's steps)."""
        self.step = min(max(index, 0), self.step_count - 1)

    def shown_fields(self):
        """The names of the fields this request carries: all of them, or those of the step
        that was posted (a form in steps; the other answers come from the draft)."""
        if self.posted_step is None:
            return set(self.field_models) | set(self.groups)
        if self.every_answer_stored:
            return set()
        return set(self.steps()[self.posted_step]["names"])

    def on_page(self):
        """The fields shown together (the step's, or all of them): their answers can
        change in the browser; the others' are known to the server."""
        if self.step_count < 2:
            return set(self.field_models)
        return set(self.steps()[self.step]["names"])

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
        hidden = self.hidden_now()
        return [
            index
            for index, step in enumerate(self.steps())
            if index == self.step or any(name not in hidden for name in step["names"])
        ]

    def next_step(self, index):
        return next((shown for shown in self.shown_steps() if shown > index), None)

    def previous_step(self, index):
        return next((shown for shown in reversed(self.shown_steps()) if shown < index), None)

    def skip_hidden_step(self):
        """On a GET: a step the answers skip shows the next one instead (else the previous)."""
        hidden = self.hidden_now()
        if any(name not in hidden for name in self.steps()[self.step]["names"]):
            return
        target = self.next_step(self.step)
        if target is None:
            target = self.previous_step(self.step)
        if target is not None:
            self.show_step(target)

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

    def for_draft(self, draft, data=None):
        """A form of the same page that reads every answer from ``draft`` (and its kept
        files): what « Envoyer » from the recap validates, and where a draft resumes."""
        check = type(self)(
            data if data is not None else QueryDict(),
            MultiValueDict(),
            page=self.page,
            user=self.user,
            in_steps=self.in_steps,
            posted=True,
            stored=draft.data,
            every_answer_stored=True,
        )
        check.attach_draft(draft)
        return check

    def resume_step(self, draft):
        """Where a resumed draft opens: the first step with a missing required answer or an
        error, checked on the server from the draft's answers and kept files (the last step,
        with « Envoyer », when every step is complete)."""
        if self.step_count < 2 or draft is None:
            return 0
        check = self.for_draft(draft)
        if check.is_valid():
            return check.step_count - 1
        first = check.first_step_in_error()
        return check.step_count - 1 if first is None else first

    def resume_draft(self, draft):
        """Show the step where ``draft`` resumes (``resume_step``)."""
        self.show_step(self.resume_step(draft))

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
        """Show only the errors of step ``index`` (the others are said when it is reached)."""
        names = set(self.steps()[index]["names"])
        self.keep_only_errors(
            [name for name in self.errors if self.item_of(name) in names or self.item_of(name) is None]
        )

    def step_sections(self):
        """The sections of the step shown (every section when not in steps)."""
        if self.step_count < 2:
            return self.sections()
        step = self.steps()[self.step]
        section = {key: step[key] for key in ("title", "description", "help_text")}
        if len(step["names"]) == 1 and step["names"][0] in self.groups:
            return [dict(section, fields=[], group=self.bound_group(step["names"][0]), condition=None)]
        fields = [self[name] for name in step["names"] if name not in self.groups and not self.field_skipped(name)]
        return [dict(section, fields=fields, group=None, condition=None)]
