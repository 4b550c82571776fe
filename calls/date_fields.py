"""A period « du … au … » in a call's form: its widget (two labelled date inputs in one
fieldset), its field (cleaned to ``{"start", "end"}``, the end not before the start) and the
reading of a stored range (exports, the PDF)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DateRangeWidget(forms.MultiWidget):
    """Two labelled date inputs, « Du » and « Au », in the field's fieldset."""

    template_name = "calls/widgets/date_range.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        date_input = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        super().__init__([date_input, forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")], attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("start"), value.get("end")]
        return [None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], (_("Du"), _("Au")), strict=True):
            subwidget["label"] = label
        return context


class DateRangeField(forms.MultiValueField):
    """A period « du … au … », cleaned to ``{"start": date, "end": date}`` (end ≥ start)."""

    widget = DateRangeWidget
    default_error_messages = {
        "invalid": _("Indiquez une date valide, par exemple 15/03/2027."),
        "incomplete": _("Indiquez la date de début et la date de fin."),
        "order": _("La date de fin doit être le même jour que la date de début ou après."),
    }

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        date_errors = {
            "invalid": self.default_error_messages["invalid"],
            "incomplete": self.default_error_messages["incomplete"],
        }
        fields = (forms.DateField(error_messages=date_errors), forms.DateField(error_messages=date_errors))
        # Each date is required once the other is given (« incomplete »); both empty is
        # « required » only when the field is.
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or any(value in self.empty_values for value in data_list):
            return None
        start, end = data_list
        if end < start:
            raise ValidationError(self.error_messages["order"], code="order")
        return {"start": start, "end": end}


def parse_date_range(value):
    """``(start, end)`` dates of a stored range, ``(None, None)`` when it is not one."""
    if not isinstance(value, dict):
        return None, None
    try:
        return datetime.date.fromisoformat(str(value.get("start"))), datetime.date.fromisoformat(str(value.get("end")))
    except ValueError:
        return None, None
