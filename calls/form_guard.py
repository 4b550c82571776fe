"""The call form's own two fields, against bots and double sends: the honeypot and the token.

``qc_site_internet`` is hidden from people (off-screen, out of the tab order); bots fill
every field, and an application that answers it is kept as spam (calls/submission.py).
``qc_jeton`` is one per displayed form: a second POST with the same token is the same
application. Editors' fields never get these names (``safe_field_key``).
"""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.utils import get_field_clean_name

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


class GuardedForm(forms.Form):
    """The honeypot and the idempotency token of every call's form (``forms.CallForm``)."""

    qc_site_internet = forms.CharField(label=_("Laissez ce champ vide"), required=False, max_length=200)
    # Read by clean_qc_jeton: a malformed one is replaced (never an error on a hidden field).
    qc_jeton = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_NAME].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial[TOKEN_NAME] = uuid.uuid4()

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
