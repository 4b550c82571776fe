"""The members' directory: who is in the network, what each member can offer and looks for,
and the contact details each one chose to show.

Only for signed-in member laureates and the team (``directory_views.py``, the admin's
``directory_admin.py``); nothing of it is public, cached for anonymous visitors or indexed:
the list is read and filtered in the database (``entries``), never through the public search
index. Every member laureate is listed with what the programme knows of the business
(name, commune, région, kind); what they can offer, look for, their themes and their
contact details come from their ``DirectoryProfile``, and each contact detail is shown only
once its box is ticked (``contacts``). A laureate who left the network is not listed, and
their profile goes with their contact data (``forget_erased``).
"""

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home.folding import fold_words
from laureates.models import Actor, Laureate
from laureates.services import write_history
from stories.models import Theme

from .models import DirectoryProfile

PAGE_SIZE = 24

# Each contact detail: its key, the profile's opt-in box, its label, and where its value is.
CONTACTS = (
    ("email", "show_email", gettext_lazy("Courriel"), lambda laureate, profile: laureate.contact_email),
    ("phone", "show_phone", gettext_lazy("Téléphone"), lambda laureate, profile: laureate.contact_phone),
    ("website", "show_website", gettext_lazy("Site internet"), lambda laureate, profile: profile.website),
    ("address", "show_address", gettext_lazy("Adresse"), lambda laureate, profile: laureate.address),
)

TEXT_FIELDS = ("offer", "need", "website")
OPT_IN_FIELDS = tuple(box for _key, box, _label, _value in CONTACTS)


def member_records():
    """The laureates listed: the members of the network, with their profile and its themes
    (three queries whatever their number)."""
    themes = Theme.objects.order_by("name")
    return (
        Laureate.objects.members()
        .select_related("directory_profile")
        .prefetch_related(Prefetch("directory_profile__themes", queryset=themes))
        .order_by("business_name", "edition", "pk")
    )


def search_filter(term):
    """A ``Q`` matching laureates whose business, commune, offer, need or themes hold every
    word of ``term`` (accents and case ignored for the profile's text)."""
    query = Q()
    for word in term.split():
        query &= (
            Q(business_name__icontains=word)
            | Q(town__icontains=word)
            | Q(directory_profile__search_text__contains=fold_words(word))
        )
    return query


def entries(*, region="", kind="", theme="", q=""):
    """The listed laureates, filtered by région, kind of business, theme (a slug) and words."""
    records = member_records()
    if region:
        records = records.filter(region=region)
    if kind:
        records = records.filter(business_kind=kind)
    if theme:
        records = records.filter(directory_profile__themes__slug=theme)
    if q:
        records = records.filter(search_filter(q))
    return records


def profile_of(laureate):
    """The laureate's profile, or None (read from ``select_related``: no query)."""
    try:
        return laureate.directory_profile
    except DirectoryProfile.DoesNotExist:
        return None


def contacts(laureate, profile):
    """The contact details the members may read: those ticked and not empty."""
    if profile is None:
        return []
    shown = []
    for key, box, label, value in CONTACTS:
        text = (value(laureate, profile) or "").strip()
        if getattr(profile, box) and text:
            shown.append({"key": key, "label": label, "value": text, "href": _href(key, text)})
    return shown


def _href(key, text):
    if key == "email":
        return f"mailto:{text}"
    if key == "phone":
        return "tel:" + "".join(char for char in text if char.isdigit() or char == "+")
    if key == "website":
        return text
    return ""


def describe(laureate):
    """What one entry shows (no query: the profile and its themes are prefetched)."""
    profile = profile_of(laureate)
    return {
        "laureate": laureate,
        "profile": profile,
        "themes": list(profile.themes.all()) if profile else [],
        "contacts": contacts(laureate, profile),
    }


def search_text(laureate, profile, themes):
    parts = [laureate.business_name, laureate.town, profile.offer, profile.need, *(theme.name for theme in themes)]
    return fold_words(" ".join(part for part in parts if part))


# --- The laureate's own profile -----------------------------------------------------------------


def _changes(profile, data, old_themes, new_themes):
    """The changes in words for the history: names of what changed, never the values."""
    labels = {
        "offer": _("« Ce que je peux apporter »"),
        "need": _("« Ce que je cherche »"),
        "website": _("site internet"),
    }
    changed = [
        _("%(field)s modifié") % {"field": labels[name]}
        for name in TEXT_FIELDS
        if (getattr(profile, name) or "") != (data.get(name) or "")
    ]
    if set(old_themes) != {theme.pk for theme in new_themes}:
        changed.append(_("thèmes modifiés"))
    for _key, box, label, _value in CONTACTS:
        if bool(getattr(profile, box)) != bool(data.get(box)):
            template = _("%(detail)s : montré aux membres") if data.get(box) else _("%(detail)s : masqué")
            changed.append(template % {"detail": label})
    return changed


def save_profile(laureate, data):
    """Store the laureate's profile from the form's cleaned ``data`` (texts, themes, opt-in
    boxes) and record the change in the laureate's history, in one transaction; returns the
    changes in words ([] when nothing changed: nothing is written)."""
    themes = list(data.get("themes") or [])
    with transaction.atomic():
        # The record's row is the lock: two saves of the same profile run one after the other,
        # and the first one alone creates the profile.
        locked = Laureate.objects.select_for_update().get(pk=laureate.pk)
        profile = DirectoryProfile.objects.filter(laureate=locked).first() or DirectoryProfile(laureate=locked)
        old_themes = list(profile.themes.values_list("pk", flat=True)) if profile.pk else []
        changed = _changes(profile, data, old_themes, themes)
        if not changed:
            return []
        for name in (*TEXT_FIELDS, *OPT_IN_FIELDS):
            setattr(profile, name, data.get(name) or ("" if name in TEXT_FIELDS else False))
        profile.search_text = search_text(locked, profile, themes)
        profile.updated_at = timezone.now()
        profile.save()
        profile.themes.set(themes)
        write_history(
            locked,
            _("Fiche de l'annuaire modifiée par le lauréat"),
            "; ".join(changed) + ".",
            actor=Actor.LAUREAT,
        )
    return changed


def forget_erased(laureate):
    """The profile goes with the record's contact data (``laureates.retention``): deleted
    once they are erased, in the erasure's transaction."""
    if laureate.contact_erased_at is not None:
        DirectoryProfile.objects.filter(laureate=laureate).delete()


def on_laureate_saved(sender, instance, **kwargs):
    forget_erased(instance)
