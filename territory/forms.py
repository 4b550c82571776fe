"""The « Adresse » answer of a call's form: street, postal code, then the commune among
those of that postal code. Région and département are derived from the commune.

Without JavaScript: the commune list is built from the postal code the form received; a
postal code shared by several communes sends the form back once with its communes in the
list (one commune: chosen for the applicant). With JavaScript (``territory/address.js``),
the list fills in as the postal code is typed (``/api/communes/``) and the commune's QPV
show below it (``/api/qpv/``).
"""

from dataclasses import asdict, dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import geo, picker, qpv

STREET_MAX_LENGTH = 200


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    commune_code: str
    commune_name: str
    departement: str
    departement_name: str
    region: str  # INSEE code of the région
    region_name: str
    # The point the applicant placed on the commune's map (territory/picker.py), if any.
    latitude: float | None = None
    longitude: float | None = None

    def display(self):
        return f"{self.street}, {self.postal_code} {self.commune_name}"

    def as_json(self):
        return asdict(self)


class AddressWidget(forms.MultiWidget):
    template_name = "territory/widgets/address.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        widgets = [
            forms.TextInput(attrs={"autocomplete": "address-line1", "maxlength": str(STREET_MAX_LENGTH)}),
            forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": "5", "pattern": "[0-9]{5}"}
            ),
            forms.Select(),
            forms.HiddenInput(attrs={"data-qpv-latitude": ""}),
            forms.HiddenInput(attrs={"data-qpv-longitude": ""}),
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value):
        def point(coordinate):
            return "" if coordinate is None else str(coordinate)

        if isinstance(value, Address):
            return [
                value.street,
                value.postal_code,
                value.commune_code,
                point(value.latitude),
                point(value.longitude),
            ]
        if isinstance(value, dict):
            return [
                value.get("street", ""),
                value.get("postal_code", ""),
                value.get("commune_code", ""),
                point(value.get("latitude")),
                point(value.get("longitude")),
            ]
        return ["", "", "", "", ""]

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        # A draft saved before the map existed: three parts.
        return list(values) + [""] * (5 - len(values))

    def get_context(self, name, value, attrs):
        values = value if isinstance(value, list | tuple) else self.decompress(value)
        postal_code = (values[1] or "").strip() if len(values) > 1 else ""
        communes = geo.communes_for_postcode(postal_code) if geo.is_postcode(postal_code) else []
        if communes:
            placeholder = _("Choisir la commune") if len(communes) > 1 else ""
        else:
            placeholder = _("Indiquez d'abord le code postal")
        choices = ([("", placeholder)] if placeholder else []) + [(c.code, c.name) for c in communes]
        self.widgets[2].choices = choices
        context = super().get_context(name, value, attrs)
        for point in context["widget"]["subwidgets"][3:]:
            point["attrs"].pop("required", None)  # the placed point is never required
        if not placeholder:
            # One commune, already chosen: a required select must start with an empty option.
            context["widget"]["subwidgets"][2]["attrs"].pop("required", None)
        context["widget"]["labels"] = [_("Numéro et rue"), _("Code postal"), _("Commune")]
        context["widget"]["communes_url"] = reverse("territory:communes")
        context["widget"]["qpv_url"] = reverse("territory:qpv")
        context["widget"]["map_url"] = reverse("territory:commune_map")
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class AddressField(forms.Field):
    widget = AddressWidget
    default_error_messages = {
        "required": _("Indiquez l'adresse du commerce : rue, code postal et commune."),
        "street": _("Indiquez le numéro et la rue."),
        "postal_code": _("Le code postal compte 5 chiffres, par exemple 75018."),
        "unknown_postal_code": _("Aucune commune n'a le code postal %(code)s : vérifiez-le."),
        "choose_commune": _("Plusieurs communes ont le code postal %(code)s : choisissez la vôtre dans la liste."),
        "commune": _("Cette commune n'a pas le code postal %(code)s : choisissez-en une dans la liste."),
        "point": _(
            "Le point placé sur la carte n'est pas sur la carte de cette commune : placez votre commerce à nouveau."
        ),
    }

    def to_python(self, value):
        values = list(value) if isinstance(value, list | tuple) else []
        values += [""] * (5 - len(values))
        return [" ".join(str(v or "").split()) for v in values[:5]]

    def validate(self, value):
        pass  # clean() does it all: the checks depend on one another.

    def clean(self, value):
        street, postal_code, commune_code, latitude, longitude = self.to_python(value)
        postal_code = postal_code.replace(" ", "")
        if not (street or postal_code or commune_code):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        errors = []
        if not street:
            errors.append(ValidationError(self.error_messages["street"], code="street"))
        elif len(street) > STREET_MAX_LENGTH:
            errors.append(ValidationError(_("%(n)s caractères au maximum pour la rue.") % {"n": STREET_MAX_LENGTH}))
        if not geo.is_postcode(postal_code):
            errors.append(ValidationError(self.error_messages["postal_code"], code="postal_code"))
            raise ValidationError(errors)
        communes = geo.communes_for_postcode(postal_code)
        params = {"code": postal_code}
        if not communes:
            errors.append(ValidationError(self.error_messages["unknown_postal_code"], "unknown", params))
            raise ValidationError(errors)
        chosen = next((c for c in communes if c.code == commune_code), None)
        if chosen is None and len(communes) == 1:
            chosen = communes[0]
        if chosen is None:
            key = "commune" if commune_code else "choose_commune"
            errors.append(ValidationError(self.error_messages[key], code=key, params=params))
        point = self.clean_point(chosen, latitude, longitude) if chosen is not None else None
        if point is False:
            errors.append(ValidationError(self.error_messages["point"], code="point"))
        if errors:
            raise ValidationError(errors)
        point = point or (None, None)
        return Address(
            street=street,
            postal_code=postal_code,
            commune_code=chosen.code,
            commune_name=chosen.name,
            departement=chosen.departement,
            departement_name=chosen.departement_name,
            region=chosen.region,
            region_name=chosen.region_name,
            latitude=point[0],
            longitude=point[1],
        )

    def clean_point(self, commune, latitude, longitude):
        """The placed point as floats, None when none was placed, False when it is not on
        the commune's map (a point typed in another city, or not numbers)."""
        if not (latitude or longitude):
            return None
        try:
            lat, lon = qpv.validate_coordinates(latitude, longitude)
        except ValueError:
            return False
        found = picker.frame(commune.code)
        if found is None or not found.contains(lat, lon):
            return False
        return round(lat, 6), round(lon, 6)

    def has_changed(self, initial, data):
        return any(self.to_python(data)[:3])
