"""The call page's admin form: Wagtail's form-page checks, plus the conditions of the
form builder's fields (``conditions.py``), read against the fields as edited."""

from wagtail.contrib.forms.forms import WagtailAdminFormPageForm

from . import field_types
from .conditions import ConditionError, parse


class CallPageAdminForm(WagtailAdminFormPageForm):
    def save(self, commit=True):
        page = super().save(commit=False)
        if page.pk is None and self.data.get("action-publish") and page.missing_before_opening():
            # Wagtail's create view saves a new page live before asking whether it may be
            # published: a brand-new call that cannot open is created as a draft instead (the
            # ``before_publish_page`` hook then tells the editor what it lacks).
            page.live = False
        if commit:
            page.save()
            self._save_m2m()
        return page

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("form_fields")
        if formset is not None:
            check_conditions(formset)
        return cleaned_data


def check_conditions(formset):
    """Refuse, on each field's inline form, a condition line that cannot be read against the
    fields placed before it (as edited: order, deletions). Shared by every form built in the
    admin with the project's types (a call's, a laureates' report)."""
    kept = []
    for position, form in enumerate(formset.forms):
        if not form.is_valid() and not form.has_changed() and not form.instance.pk:
            continue
        data = getattr(form, "cleaned_data", {}) or {}
        if data.get("DELETE"):
            continue
        order = data.get("ORDER")
        kept.append((order if order is not None else 10**6 + position, position, form))
    kept.sort(key=lambda item: (item[0], item[1]))
    before, in_group = [], False
    for _order, _position, form in kept:
        field = form.instance
        if field_types.get(field.field_type).section:
            in_group = bool(getattr(field, "repeatable", False))
        elif in_group:
            # A question of a repeatable section decides nothing (it has one answer per
            # entry), and cannot be conditional (``models.repeatable_problems`` says so).
            continue
        try:
            parse(field.conditions, field.condition_match, before)
        except ConditionError as error:
            form.add_error("conditions", str(error))
        before.append(field)
