"""A moderator erases one laureate's contact data by hand (confirmation, the retention purge's
own erasure and history entry; refused without the right), what it erases with the contact
(the milestones' texts and files, the team's notes' text), and the orphan files sweep looks
under the laureates' folder too (milestone and report files)."""

import os
import time
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import TestCase

from calls import orphan_files
from calls.attachments.kinds import KINDS
from calls.attachments.storage import private_storage
from calls.attachments.validation import validate_upload
from laureates import plan
from laureates.models import Laureate, LaureateHistoryEntry, MilestoneFile, ReportFile
from laureates.retention import erase_contact
from tests.calls.samples import image_bytes, upload
from tests.moderation.factories import user_in

pytestmark = pytest.mark.django_db


def test_a_moderator_erases_a_laureates_contact_after_confirming(client, awa_laureate, moderator):
    client.force_login(moderator)
    page = client.get(f"/admin/laureats/inspect/{awa_laureate.pk}/").content.decode()
    url = f"/admin/laureats/{awa_laureate.pk}/effacer-coordonnees/"
    assert url in page
    confirm = client.get(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Oui, effacer les coordonnées" in html and "définitif" in html
    awa_laureate.refresh_from_db()
    assert awa_laureate.contact_email == "awa@example.org"  # a GET changes nothing
    assert client.post(url).status_code == 302
    awa_laureate.refresh_from_db()
    assert awa_laureate.contact_email == "" and awa_laureate.contact_name == "" and awa_laureate.contact_erased_at
    entry = LaureateHistoryEntry.objects.filter(laureate=awa_laureate).latest("pk")
    assert entry.action == "Coordonnées effacées" and entry.user == moderator and "à la main" in entry.detail
    assert awa_laureate.business_name and awa_laureate.amount_awarded  # what the network needs stays
    # Again: nothing more, said in French.
    again = client.post(url, follow=True)
    assert "déjà effacées" in again.content.decode()
    assert LaureateHistoryEntry.objects.filter(laureate=awa_laureate, action="Coordonnées effacées").count() == 1


def test_erasing_by_hand_is_refused_without_the_right(client, awa_laureate, reviewer):
    # A reviewer reaches the admin but holds no right on the laureates; a moderator without
    # « erase_laureate_contacts » neither.
    client.force_login(reviewer)
    url = f"/admin/laureats/{awa_laureate.pk}/effacer-coordonnees/"
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    limited = user_in("Modérateurs", username="sans-effacement")
    limited.groups.clear()
    limited.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_laureate"),
        Permission.objects.get(codename="change_laureate"),
    )
    client.force_login(limited)
    assert client.get(f"/admin/laureats/inspect/{awa_laureate.pk}/").status_code == 200
    assert "effacer-coordonnees" not in client.get(f"/admin/laureats/inspect/{awa_laureate.pk}/").content.decode()
    assert client.post(url).status_code in (302, 403)  # Wagtail turns the refusal into a redirect
    awa_laureate.refresh_from_db()
    assert awa_laureate.contact_email == "awa@example.org" and awa_laureate.contact_erased_at is None


def age_everything(settings, seconds=2 * 3600):
    then = time.time() - seconds
    for folder, _dirs, names in os.walk(settings.PRIVATE_MEDIA_ROOT):
        for name in names:
            os.utime(os.path.join(folder, name), (then, then))


def test_the_orphan_sweep_looks_under_the_laureates_files(settings, client, sign_in, awa_laureate, report_form):
    sign_in("awa@example.org")
    milestone = awa_laureate.milestones.get(label="Travaux")
    client.post(
        f"/espace-candidat/laureat/etapes/{milestone.pk}/fait/",
        {f"etape-{milestone.pk}-text": "Fini.", f"etape-{milestone.pk}-files": [upload("a.png", image_bytes("PNG"))]},
    )
    client.post(
        f"/espace-candidat/laureat/{awa_laureate.pk}/bilans/{report_form.pk}/",
        {
            "chiffre_daffaires_du_semestre": "1000",
            "emplois_crees": "1",
            "embauche_prevue": "non",
            "photos_du_commerce": [upload("b.png", image_bytes("PNG"))],
        },
    )
    kept = [MilestoneFile.objects.get().file.name, ReportFile.objects.get().file.name]
    assert all(name.startswith("laureates/") for name in kept)
    orphan = private_storage().save("laureates/0123456789abcdef0123456789abcdef", ContentFile(b"reste"))
    age_everything(settings)
    result = orphan_files.sweep()
    assert result.orphans == 1 and result.referenced == 2
    storage = private_storage()
    assert not storage.exists(orphan) and all(storage.exists(name) for name in kept)
    # A file row deleted with its report (or milestone): its file is swept next time.
    ReportFile.objects.all().delete()
    assert orphan_files.sweep().orphans == 1 and not storage.exists(kept[1]) and storage.exists(kept[0])
    assert Laureate.objects.count() == 1


def test_erasing_the_contact_erases_what_the_laureate_wrote_with_their_milestones(awa_laureate, moderator):
    milestone = awa_laureate.milestones.get(label="Travaux")
    photo = validate_upload(upload("awa-devant-le-cafe.png", image_bytes("PNG")), list(KINDS), 10_000_000)
    plan.mark_milestone_done(milestone, "Travaux finis avec mon voisin Karim Haddad.", [photo])
    stored = MilestoneFile.objects.get().file.name
    assert private_storage().exists(stored)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert erase_contact(awa_laureate, user=moderator)
    milestone.refresh_from_db()
    assert milestone.status == "fait" and milestone.done_at is not None  # the plan's progress stays
    assert milestone.done_text == ""
    assert not MilestoneFile.objects.exists() and not private_storage().exists(stored)
    done = LaureateHistoryEntry.objects.get(laureate=awa_laureate, action="Étape faite : Travaux")
    assert done.detail == ""  # neither the text nor the file's name
    erased = LaureateHistoryEntry.objects.get(laureate=awa_laureate, action="Coordonnées effacées")
    assert "1 texte(s) d'étape effacé(s), 1 fichier(s) d'étape supprimé(s)" in erased.detail
    assert "Karim" not in erased.detail and "awa-devant" not in erased.detail


def test_erasing_the_contact_erases_the_text_of_the_teams_notes(client, home_page, awa_laureate, moderator):
    from home.models import PrivacyPage
    from laureates.models import TeamNote

    privacy = PrivacyPage(title="Données personnelles", slug="donnees-personnelles")
    home_page.add_child(instance=privacy)
    privacy.save_revision().publish()
    plan.add_note(awa_laureate, moderator, "Mme Awa Diallo rappelle le mardi au 06 12 34 56 78.")
    plan.add_note(awa_laureate, moderator, "Son fils Idrissa reprend la gérance.")
    dates = sorted(TeamNote.objects.values_list("created_at", flat=True))

    assert erase_contact(awa_laureate, user=moderator)
    notes = TeamNote.objects.filter(laureate=awa_laureate)
    # The rows stay with their author and date (as the milestones do), without their text.
    assert sorted(note.created_at for note in notes) == dates and {note.author for note in notes} == {moderator}
    assert [note.text for note in notes] == ["", ""]
    erased = LaureateHistoryEntry.objects.get(laureate=awa_laureate, action="Coordonnées effacées")
    assert "Notes de l'équipe : 2 texte(s) effacé(s)" in erased.detail
    assert not LaureateHistoryEntry.objects.filter(detail__contains="Awa Diallo").exists()
    assert not LaureateHistoryEntry.objects.filter(detail__contains="Idrissa").exists()
    # The team's page says the text was erased; the privacy page says what goes and what stays.
    client.force_login(moderator)
    page = unescape(client.get(f"/admin/laureats/parcours/{awa_laureate.pk}/").content.decode())
    assert page.count("Texte effacé avec les coordonnées du lauréat.") == 2 and "Idrissa" not in page
    policy = unescape(client.get("/donnees-personnelles/").content.decode())
    assert "les notes de l'équipe sur le lauréat" in policy
    said = "Le texte des notes de l'équipe sur le lauréat est effacé aussi ; restent leur auteur et leur date."
    assert said in policy
    # A second erasure finds nothing more to do and writes nothing.
    assert not erase_contact(awa_laureate, user=moderator)
    assert LaureateHistoryEntry.objects.filter(laureate=awa_laureate, action="Coordonnées effacées").count() == 1


def test_no_note_can_be_added_once_the_contact_is_erased(client, awa_laureate, moderator):
    from django.core.exceptions import ValidationError

    from laureates.models import TeamNote

    assert erase_contact(awa_laureate, user=moderator)
    entries = LaureateHistoryEntry.objects.filter(laureate=awa_laureate).count()
    # The service refuses, with the reason, and stores nothing.
    with pytest.raises(ValidationError) as refused:
        plan.add_note(awa_laureate, moderator, "Mme Awa Diallo a rappelé.")
    assert "coordonnées de ce lauréat ont été effacées" in refused.value.messages[0]
    # The team's page offers no note form and says why; a note posted anyway is refused the same way.
    client.force_login(moderator)
    url = f"/admin/laureats/parcours/{awa_laureate.pk}/"
    page = unescape(client.get(url).content.decode())
    assert "Ajouter la note" not in page and "plus aucune note ne peut être ajoutée" in page
    response = client.post(f"{url}notes/", {"note-text": "Mme Awa Diallo a rappelé."})
    assert response.status_code == 400
    assert "plus aucune note ne peut être ajoutée" in unescape(response.content.decode())
    assert not TeamNote.objects.filter(laureate=awa_laureate).exists()
    assert LaureateHistoryEntry.objects.filter(laureate=awa_laureate).count() == entries
