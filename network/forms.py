"""The session page's admin form: the place's address checked like the call's, the dates and
the mode checked together, and a capacity never below the registrations already confirmed."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from territory.forms import AddressField

from . import place
from .choices import Mode

ADDRESS_MESSAGES = {
    "required": _("Indiquez l'adresse du lieu : rue, code postal et commune."),
    "point": _("Le point placé sur la carte n'est pas dans cette commune : placez le lieu à nouveau."),
}


class SessionPageForm(WagtailAdminPageForm):
    address = AddressField(
        label=_("Adresse du lieu"),
        required=False,
        error_messages=ADDRESS_MESSAGES,
        help_text=_("Vérifiée comme l'adresse d'une candidature : commune, région et quartier prioritaire."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not self.is_bound:
            self.initial.setdefault("address", place.initial(self.instance))

    def clean(self):
        cleaned_data = super().clean()
        starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("La fin doit être après le début."))
        opens_at, closes_at = cleaned_data.get("registration_opens_at"), cleaned_data.get("registration_closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("registration_closes_at", _("La clôture des inscriptions doit être après leur ouverture."))
        if closes_at and ends_at and closes_at > ends_at:
            self.add_error(
                "registration_closes_at", _("La clôture des inscriptions doit être avant la fin de la séance.")
            )
        if cleaned_data.get("capacity") is not None and self.instance.pk:
            # The registration service imports the models, which import this form.
            from .registration import check_capacity

            try:
                check_capacity(self.instance, cleaned_data["capacity"])
            except ValidationError as refused:
                self.add_error(None, refused)
        mode = cleaned_data.get("mode")
        if mode == Mode.SUR_PLACE:
            if "address" not in self.errors and cleaned_data.get("address") is None:
                self.add_error("address", ADDRESS_MESSAGES["required"])
        elif mode == Mode.EN_LIGNE and not cleaned_data.get("meeting_url"):
            self.add_error("meeting_url", _("Indiquez le lien de la visioconférence d'une séance en ligne."))
        return cleaned_data

    def save(self, commit=True):
        page = self.instance
        address = self.cleaned_data.get("address") if page.mode == Mode.SUR_PLACE else None
        if page.mode != Mode.SUR_PLACE or self._address_changed(page, address):
            for name, value in place.columns(address).items():
                setattr(page, name, value)
        if page.mode == Mode.SUR_PLACE:
            page.meeting_url = ""
        return super().save(commit=commit)

    @staticmethod
    def _address_changed(page, address):
        """Check again only when the address changed (the geocoder is not asked at each save)."""
        if address is None:
            return True
        stored = place.initial(page) or {}
        return (
            not page.qpv_method
            or stored.get("street") != address.street
            or stored.get("postal_code") != address.postal_code
            or stored.get("commune_code") != address.commune_code
            or (
                address.latitude is not None
                and (address.latitude, address.longitude) != (page.latitude, page.longitude)
            )
        )
