"""StreamField blocks shared by every page type, around one base stream block.

Pattern from wagtail/bakerydemo ``base/blocks.py``; cross-field validation in ``clean()``
as in wagtail.org ``wagtailio/core/blocks.py``.
https://docs.wagtail.org/en/stable/topics/streamfield.html
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from . import figures

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section (h2)")), ("h3", _("Sous-titre (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "home/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Texte alternatif"),
        required=False,
        max_length=255,
        help_text=_("Laisser vide pour utiliser le texte alternatif de l'image."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image avec légende")
        template = "home/blocks/captioned_image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citation"), max_length=600)
    author = blocks.CharBlock(label=_("Auteur ou autrice"), required=False, max_length=120)
    role = blocks.CharBlock(label=_("Fonction, lieu"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "home/blocks/quote.html"

    def clean(self, value):
        value = super().clean(value)
        if value.get("role") and not value.get("author"):
            raise StructBlockValidationError(
                block_errors={"author": ValidationError(_("Indiquez l'auteur de la citation avant sa fonction."))}
            )
        return value


class KeyFigureBlock(blocks.StructBlock):
    """One figure: computed from the data (``home/figures.py``) or typed by the editor.

    Items saved before computed figures existed hold only ``value`` and ``label``: they load
    as typed figures (a missing child takes its default)."""

    figure = blocks.ChoiceBlock(
        label=_("Chiffre calculé"),
        choices=figures.choices,
        required=False,
        help_text=_("Calculé à partir des données du site et tenu à jour. Laisser vide pour saisir le chiffre."),
    )
    edition = blocks.IntegerBlock(
        label=_("Édition (année)"),
        required=False,
        min_value=2020,
        max_value=2100,
        help_text=_("Pour un chiffre calculé : vide pour toutes les éditions, ou l'année d'un appel."),
    )
    value = blocks.CharBlock(
        label=_("Chiffre saisi"), required=False, max_length=20, help_text=_("Par exemple : 625 000 €")
    )
    label = blocks.CharBlock(
        label=_("Libellé"),
        required=False,
        max_length=80,
        help_text=_("Par exemple : de soutien. Vide pour un chiffre calculé : son libellé habituel."),
    )

    class Meta:
        icon = "order"
        label = _("Chiffre clé")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value.get("figure") and value.get("value"):
            message = _("Choisissez un chiffre calculé ou saisissez un chiffre, pas les deux.")
            errors = {"figure": ValidationError(message), "value": ValidationError(message)}
        elif not value.get("figure"):
            if not value.get("value"):
                errors["value"] = ValidationError(_("Saisissez le chiffre ou choisissez un chiffre calculé."))
            if not value.get("label"):
                errors["label"] = ValidationError(_("Indiquez le libellé du chiffre saisi."))
            if value.get("edition"):
                errors["edition"] = ValidationError(_("L'édition ne vaut que pour un chiffre calculé."))
        elif value.get("edition") and not figures.get(value["figure"]).per_edition:
            errors["edition"] = ValidationError(_("Ce chiffre ne se calcule pas par édition : laissez l'année vide."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Chiffres"), min_num=1, max_num=6)

    class Meta:
        icon = "table"
        label = _("Chiffres clés")
        template = "home/blocks/key_figures.html"

    def get_context(self, value, parent_context=None):
        """``shown``: each item as ``(value, label)``; the computed ones read together from the
        cache. A computed figure no longer registered is left out, and so is one at zero: before
        an edition's first application or first decision, a home page reading « 0 lauréats
        (édition 2026) » says the programme failed, not that the call is still open."""
        context = super().get_context(value, parent_context=parent_context)
        items = list(value["figures"])
        computed = figures.values([(item["figure"], item["edition"]) for item in items if item["figure"]])
        shown = []
        for item in items:
            if not item["figure"]:
                shown.append((item["value"], item["label"]))
                continue
            number = computed.pop(0)
            figure = figures.get(item["figure"])
            if number is None or figure is None or not number:
                continue
            label = item["label"] or figures.label_for(figure.key, item["edition"])
            shown.append((figures.display(number, figure.kind), label))
        context["shown"] = shown
        return context


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=120)
    text = blocks.TextBlock(label=_("Texte"), required=False, max_length=400)
    link_label = blocks.CharBlock(label=_("Texte du bouton"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page du site"), required=False)
    url = blocks.URLBlock(label=_("ou adresse externe"), required=False)

    class Meta:
        icon = "pick"
        label = _("Appel à l'action")
        template = "home/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choisissez une page du site ou une adresse externe, pas les deux.")
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(message), "url": ValidationError(message)}
            )
        return value


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=200)
    answer = blocks.RichTextBlock(label=_("Réponse"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Question")


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=120)
    items = blocks.ListBlock(FaqItemBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("Foire aux questions")
        template = "home/blocks/faq.html"


class EmbedMediaBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("Adresse de la vidéo ou du média"))
    title = blocks.CharBlock(
        label=_("Titre accessible"),
        max_length=160,
        help_text=_("Décrit le média pour les lecteurs d'écran."),
    )
    transcript = blocks.TextBlock(label=_("Transcription"), required=False)

    class Meta:
        icon = "media"
        label = _("Vidéo ou média intégré")
        template = "home/blocks/embed.html"


class PartnerLogosBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False, max_length=120)
    partners = blocks.ListBlock(SnippetChooserBlock("home.Partner"), label=_("Partenaires"), min_num=1)

    class Meta:
        icon = "group"
        label = _("Logos des partenaires")
        template = "home/blocks/partner_logos.html"


class BaseStreamBlock(blocks.StreamBlock):
    """The blocks every page body offers."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Texte"), icon="pilcrow", features=RICH_TEXT_FEATURES, template="home/blocks/paragraph.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    key_figures = KeyFiguresBlock()
    call_to_action = CallToActionBlock()
    faq = FaqBlock()
    embed = EmbedMediaBlock()
    partner_logos = PartnerLogosBlock()
