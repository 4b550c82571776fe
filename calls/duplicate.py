"""« Dupliquer l'appel »: a new call from an existing one, asking for what must change (its
title, its address, its opening and closing dates) and made as a draft. Wagtail's generic copy
(``Page.copy``) brings the form fields, criteria, decision texts, targets and notification
settings (child relations and fields), never the applications (not a child of the call)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from .models import CallPage

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DuplicateCallForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titre du nouvel appel"), max_length=255)
    slug = forms.SlugField(
        label=gettext_lazy("Adresse (slug)"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Laissée vide, elle est tirée du titre."),
    )
    opens_at = forms.DateTimeField(label=gettext_lazy("Ouverture"), widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label=gettext_lazy("Clôture"), widget=DATETIME_INPUT)

    def __init__(self, *args, parent, **kwargs):
        self.parent = parent
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        slug = cleaned.get("slug") or slugify(cleaned.get("title") or "")
        if "title" in cleaned:
            if not slug:
                self.add_error("slug", _("Indiquez une adresse (lettres, chiffres et tirets)."))
            elif self.parent.get_children().filter(slug=slug).exists():
                self.add_error("slug", _("Cette adresse est déjà prise par une autre page : choisissez-en une autre."))
            cleaned["slug"] = slug
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("La clôture doit être postérieure à l'ouverture."))
        return cleaned


def duplicate_call_view(request, pk):
    call = get_object_or_404(CallPage, pk=pk)
    parent = call.get_parent()
    if (
        not call.permissions_for_user(request.user).can_copy()
        or not parent.permissions_for_user(request.user).can_add_subpage()
    ):
        raise PermissionDenied
    form = DuplicateCallForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        copy = call.copy(
            to=parent,
            update_attrs={
                "title": data["title"],
                "draft_title": data["title"],
                "slug": data["slug"],
                "opens_at": data["opens_at"],
                "closes_at": data["closes_at"],
            },
            keep_live=False,
            user=request.user,
        )
        messages.success(
            request,
            _("Appel « %(title)s » créé en brouillon à partir de « %(source)s » : relisez-le avant de le publier.")
            % {"title": copy.title, "source": call.title},
        )
        return redirect("wagtailadmin_pages:edit", copy.pk)
    return TemplateResponse(request, "calls/admin/duplicate.html", {"call": call, "form": form})
