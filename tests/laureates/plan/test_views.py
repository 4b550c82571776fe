"""The laureate's part of the space and the team's plan page: a laureate reaches only their
own record, plan, payments and files (another laureate's id is a 404 on every URL and action,
and changes nothing); bad input gets a French message; the page's query count is pinned."""

import datetime
from html import unescape

import pytest
from django.core import mail
from django.utils import timezone

from laureates.models import LaureateHistoryEntry, Milestone, MilestoneFile, MilestoneStatus, Report, TeamNote
from tests.calls.samples import image_bytes, png_header_then_html, upload
from tests.laureates.plan.fixtures import make_report_form
from tests.moderation.factories import user_in

pytestmark = pytest.mark.django_db


def done_post(client, milestone, text="Fini.", files=()):
    data = {f"etape-{milestone.pk}-text": text}
    if files:
        data[f"etape-{milestone.pk}-files"] = list(files)
    return client.post(f"/espace-candidat/laureat/etapes/{milestone.pk}/fait/", data)


def test_a_laureate_without_application_signs_in_and_finds_their_plan(client, sign_in, awa_laureate):
    sign_in("awa@example.org")
    html = client.get("/espace-candidat/").content.decode()
    assert "Mon parcours de lauréat" in html and awa_laureate.business_name in html
    assert f"/espace-candidat/laureat/{awa_laureate.pk}/" in html


def test_the_laureate_page_shows_record_payments_and_plan_never_team_notes(
    client, sign_in, awa_laureate, django_assert_max_num_queries
):
    TeamNote.objects.create(laureate=awa_laureate, text="Note interne à l'équipe")
    sign_in("awa@example.org")
    url = f"/espace-candidat/laureat/{awa_laureate.pk}/"
    # 18 for the page (16 before the reports: +1 for the reports sent, prefetched with the
    # record, +1 for the report forms of the call), 2 for the footer's legal pages and
    # accessibility status (home/legal.py, kept per generation once read; this first request
    # reads them).
    with django_assert_max_num_queries(20):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "12\u00a0500,00\u00a0€" in html and "5\u00a0000,00\u00a0€" in html and "Premier versement" in html
    assert "Signature de la convention" in html and "Ouverture" in html and "Appel 2026" in html
    assert "Note interne" not in html
    # More milestones and files do not add queries.
    milestone = awa_laureate.milestones.get(label="Travaux")
    assert done_post(client, milestone, files=[upload("a.png", image_bytes("PNG"))]).status_code == 303
    for n in range(5):
        Milestone.objects.create(laureate=awa_laureate, label=f"Étape {n}", sort_order=10 + n)
    # More report forms and reports sent neither.
    for n in range(3):
        extra = make_report_form(awa_laureate.call, title=f"Bilan {n}")
        if n:
            Report.objects.create(laureate=awa_laureate, report_form=extra, answers={})
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_marking_done_with_a_photo_then_downloading_it(client, sign_in, awa_laureate):
    sign_in("awa@example.org")
    milestone = awa_laureate.milestones.get(label="Travaux")
    response = done_post(client, milestone, "Travaux finis.", [upload("chantier.png", image_bytes("PNG"))])
    assert response.status_code == 303
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.FAIT
    stored = MilestoneFile.objects.get()
    download = client.get(f"/espace-candidat/laureat/fichiers/{stored.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert "private" in download["Cache-Control"] and "attachment" in download["Content-Disposition"]


def test_a_file_that_fails_the_checks_changes_nothing(client, sign_in, awa_laureate):
    sign_in("awa@example.org")
    milestone = awa_laureate.milestones.get(label="Travaux")
    response = done_post(client, milestone, files=[upload("photo.png", png_header_then_html())])
    assert response.status_code == 400
    html = response.content.decode()
    assert "L'étape n'est pas enregistrée" in html and "photo.png" in html
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.A_FAIRE and not MilestoneFile.objects.exists()
    assert not LaureateHistoryEntry.objects.exists()


def test_an_empty_text_is_refused_in_french(client, sign_in, awa_laureate):
    sign_in("awa@example.org")
    milestone = awa_laureate.milestones.get(label="Travaux")
    response = done_post(client, milestone, text="  ")
    assert response.status_code == 400 and "Écrivez quelques mots sur ce qui a été fait." in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).status == MilestoneStatus.A_FAIRE


def test_another_laureates_ids_are_404_everywhere(client, sign_in, awa_laureate, bilal_laureate):
    theirs = bilal_laureate.milestones.get(label="Travaux")
    client_b = client.__class__()
    sign_in("bilal@example.org", target=client_b)
    assert done_post(client_b, theirs, files=[upload("b.png", image_bytes("PNG"))]).status_code == 303
    their_file = MilestoneFile.objects.get()
    entries = LaureateHistoryEntry.objects.count()
    sign_in("awa@example.org")
    other = bilal_laureate.milestones.get(label="Ouverture")
    assert client.get(f"/espace-candidat/laureat/{bilal_laureate.pk}/").status_code == 404
    assert done_post(client, other).status_code == 404
    assert client.get(f"/espace-candidat/laureat/fichiers/{their_file.pk}/").status_code == 404
    assert Milestone.objects.get(pk=other.pk).status == MilestoneStatus.A_FAIRE
    assert LaureateHistoryEntry.objects.count() == entries
    # Nor the team's pages: the space gives no access to the admin.
    assert client.get(f"/admin/laureats/parcours/{awa_laureate.pk}/").status_code in (302, 403)


def test_a_laureate_who_left_has_no_laureate_part(client, sign_in, awa_laureate, plan_call):
    from tests.moderation.factories import ApplicationFactory  # the space stays open through an application

    ApplicationFactory(page=plan_call, applicant_email="awa@example.org")
    sign_in("awa@example.org")
    awa_laureate.left_at = timezone.now()
    awa_laureate.save()
    milestone = awa_laureate.milestones.get(label="Travaux")
    assert "Mon parcours de lauréat" not in client.get("/espace-candidat/").content.decode()
    assert client.get(f"/espace-candidat/laureat/{awa_laureate.pk}/").status_code == 404
    assert done_post(client, milestone).status_code == 404
    assert Milestone.objects.get(pk=milestone.pk).status == MilestoneStatus.A_FAIRE


def test_the_team_edits_the_plan_and_a_date_before_the_call_is_refused(client, awa_laureate):
    client.force_login(user_in("Modérateurs"))
    url = f"/admin/laureats/parcours/{awa_laureate.pk}/"
    TeamNote.objects.create(laureate=awa_laureate, text="Appeler la mairie")
    page = client.get(url)
    assert page.status_code == 200 and "Appeler la mairie" in page.content.decode()
    before = timezone.localdate(awa_laureate.call.opens_at) - datetime.timedelta(days=3)
    response = client.post(
        url + "etapes/ajouter/",
        {"nouvelle-label": "Bilan", "nouvelle-due_on": before.isoformat(), "nouvelle-status": "a_faire"},
    )
    assert response.status_code == 400 and "L'échéance ne peut pas précéder l'appel" in unescape(
        response.content.decode()
    )
    assert awa_laureate.milestones.count() == 3
    later = timezone.localdate() + datetime.timedelta(days=180)
    response = client.post(
        url + "etapes/ajouter/",
        {"nouvelle-label": "Bilan", "nouvelle-due_on": later.isoformat(), "nouvelle-status": "a_faire"},
    )
    assert response.status_code == 302 and awa_laureate.milestones.filter(label="Bilan", due_on=later).exists()
    response = client.post(url + "notes/", {"note-text": "Travaux en retard"})
    assert response.status_code == 302 and TeamNote.objects.filter(text="Travaux en retard").exists()
    assert mail.outbox == []


def test_a_reviewer_sees_no_plan(client, awa_laureate):
    client.force_login(user_in("Évaluateurs"))
    # Wagtail answers a refused admin page with a redirect to the dashboard and a message.
    response = client.get(f"/admin/laureats/parcours/{awa_laureate.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(f"/admin/laureats/parcours/{awa_laureate.pk}/notes/", {"note-text": "x"})
    assert response.status_code == 302 and not TeamNote.objects.exists()
