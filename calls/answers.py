"""A call's answers as stored and as read, the same everywhere: pure functions that the form
(storing), the exports and the PDF (reading) share. Each reads the answer's type in the
registry (``field_types.py``); a stored answer is read from its own stored type, never from
its field's current one, so an answer given before its field changed type stays as it was
sent.

A stored answer is ``{"label", "type", "position", "value", "display"}`` (``forms.CallForm.answers``):
``value`` is JSON (a code, an ISO date, an amount as « 12000.50 »), ``display`` the text a
person reads.
"""

from . import field_types


def serialise_answer(model, value):
    """``(value, display)`` of one cleaned answer to the field ``model``: JSON-ready, and as
    a person reads it."""
    if value is None or value == "":
        return "", ""
    return field_types.get(model.field_type).serialise(value)


def answer_text(answer, attachment_names=()):
    """The text of a stored answer (a CSV cell): what was shown, or its files' names."""
    if attachment_names:
        return ", ".join(attachment_names)
    if not isinstance(answer, dict):
        return ""
    return field_types.get(answer.get("type")).text(answer)


def typed_cell(answer, text):
    """The spreadsheet cell of a stored answer whose text is ``text``: a number, an amount
    (``field_types.Euros``), a date or a date and time when its type says so, else the text."""
    if not isinstance(answer, dict) or not text:
        return text
    return field_types.get(answer.get("type")).cell(answer, text)


def entry_cell(type_name, value, display):
    """The spreadsheet cell of one field of a repeatable section's entry."""
    if value in (None, ""):
        return None
    return typed_cell({"type": type_name, "value": value, "display": display}, display)


def answer_part(answer, part):
    """The date that is ``part`` (« start », « end ») of a stored period, or None (an answer
    that is not a period: one from before its field became one)."""
    if not isinstance(answer, dict):
        return None
    parts = field_types.get(answer.get("type")).parts
    found = parts(answer) if parts else None
    return found[part] if found else None


def takes_parts(answer):
    """Whether a stored answer is split into several spreadsheet columns (a period)."""
    return isinstance(answer, dict) and field_types.get(answer.get("type")).parts is not None


def pdf_text(answer, attachment_names=()):
    """What the PDF prints under a question: the answer's text, or that it has none."""
    return answer_text(answer, attachment_names) or str(field_types.get(answer.get("type")).empty_text)
