"""The directory's forms: the filters of the list (GET, without JavaScript) and the
laureate's own profile (what they offer and look for, themes, each contact detail opt-in)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calls.forms import CallBoundField
from stories.taxonomy import BusinessKind, Region

from .models import DIRECTORY_TEXT_MAX_LENGTH, DirectoryProfile

SEARCH_MAX_LENGTH = 100


class DirectoryFilterForm(forms.Form):
    """The list's filters. A value that is not one of the choices is refused with a French
    message and that filter is left out: the list shows without it."""

    q = forms.CharField(
        label=gettext_lazy("Rechercher"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text=gettext_lazy("Un nom, une commune, un savoir-faire…"),
        error_messages={"max_length": gettext_lazy("Cherchez en %(limit_value)d caractères au plus.")},
    )
    region = forms.ChoiceField(
        label=gettext_lazy("Région"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Cette région n'existe pas : choisissez-en une dans la liste.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type de commerce"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Ce type de commerce n'existe pas : choisissez-en un dans la liste.")
        },
    )
    theme = forms.ChoiceField(
        label=gettext_lazy("Thème"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Ce thème n'existe pas : choisissez-en un dans la liste.")},
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Toutes les régions")), *Region.choices]
        self.fields["kind"].choices = [("", _("Tous les types")), *BusinessKind.choices]
        self.fields["theme"].choices = [("", _("Tous les thèmes")), *((theme.slug, theme.name) for theme in themes)]

    def filters(self):
        """The valid filters, each one on its own: a wrong région does not drop the words."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def active_count(self):
        return len(self.filters())


class DirectoryProfileForm(forms.ModelForm):
    """The laureate's profile in the directory. Each contact detail is shown to the members
    only when its box is ticked; the box's label says the value it would show."""

    bound_field_class = CallBoundField  # the call form's help and errors, each with its id
    website = forms.URLField(
        label=gettext_lazy("Site internet"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=gettext_lazy("L'adresse complète, par exemple https://www.example.org/"),
        error_messages={
            "invalid": gettext_lazy("Écrivez une adresse internet complète, par exemple https://www.example.org/")
        },
    )

    class Meta:
        model = DirectoryProfile
        fields = ["offer", "need", "themes", "website", "show_email", "show_phone", "show_address", "show_website"]
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 4}),
            "need": forms.Textarea(attrs={"rows": 4}),
            "themes": forms.CheckboxSelectMultiple,
        }
        labels = {
            "offer": gettext_lazy("Ce que je peux apporter aux autres membres"),
            "need": gettext_lazy("Ce que je cherche"),
            "themes": gettext_lazy("Mes thèmes"),
        }
        help_texts = {
            "offer": gettext_lazy("Un savoir-faire, un contact, du matériel à prêter… (%(max)s caractères au plus)")
            % {"max": DIRECTORY_TEXT_MAX_LENGTH},
            "need": gettext_lazy("Un conseil, un fournisseur, un partenaire… (%(max)s caractères au plus)")
            % {"max": DIRECTORY_TEXT_MAX_LENGTH},
        }
        error_messages = {
            "offer": {"max_length": gettext_lazy("Ce texte dépasse %(limit_value)d caractères : raccourcissez-le.")},
            "need": {"max_length": gettext_lazy("Ce texte dépasse %(limit_value)d caractères : raccourcissez-le.")},
            "themes": {"invalid_choice": gettext_lazy("Choisissez des thèmes dans la liste.")},
        }

    def __init__(self, *args, laureate, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.laureate = laureate
        self.fields["themes"].queryset = themes
        self.fields["themes"].required = False
        values = {
            "show_email": laureate.contact_email,
            "show_phone": laureate.contact_phone,
            "show_address": laureate.address,
        }
        labels = {
            "show_email": _("Montrer mon courriel aux membres"),
            "show_phone": _("Montrer mon téléphone aux membres"),
            "show_address": _("Montrer l'adresse du commerce aux membres"),
            "show_website": _("Montrer mon site internet aux membres"),
        }
        for name, label in labels.items():
            field = self.fields[name]
            field.required = False
            field.label = label
            if name in values:
                value = values[name]
                field.help_text = (
                    _("Ce qui sera montré : %(value)s") % {"value": value}
                    if value
                    else _("Aucune valeur enregistrée : rien ne sera montré. L'équipe peut la compléter.")
                )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("show_website") and not cleaned.get("website") and "website" not in self.errors:
            self.add_error(
                "website",
                _("Indiquez l'adresse du site internet, ou décochez « Montrer mon site internet aux membres »."),
            )
        return cleaned
