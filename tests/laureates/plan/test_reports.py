"""The periodic report (« bilan »): built like a call's form, sent once from the laureate's
space, refused in French on a closed plan, a closed form or a file that fails the checks,
reached only by its own laureate, read and exported by the team."""

import io
from html import unescape

import pytest
from django.conf import settings
from openpyxl import load_workbook

from laureates import progress_reports
from laureates.models import Laureate, LaureateHistoryEntry, Report, ReportFile
from tests.calls.samples import image_bytes, png_header_then_html, upload
from tests.concurrency import at_once
from tests.laureates.plan.fixtures import make_report_form
from tests.moderation.factories import make_call

pytestmark = pytest.mark.django_db


def report_url(laureate, report_form):
    return f"/espace-candidat/laureat/{laureate.pk}/bilans/{report_form.pk}/"


def answers(**overrides):
    data = {
        "chiffre_daffaires_du_semestre": "12 000,50",
        "emplois_crees": "2",
        "embauche_prevue": "oui",
        "poste_envisage": "Serveur ou serveuse (exemple)",
    }
    data.update(overrides)
    return data


def test_the_laureate_fills_and_sends_a_report_once(client, sign_in, awa_laureate, report_form):
    sign_in("awa@example.org")
    page = client.get(f"/espace-candidat/laureat/{awa_laureate.pk}/").content.decode()
    assert "Vos bilans" in page and report_url(awa_laureate, report_form) in page
    form_page = client.get(report_url(awa_laureate, report_form))
    html = unescape(form_page.content.decode())
    assert form_page.status_code == 200 and "Chiffre d'affaires du semestre" in html and "data-qc-when" in html
    photo = upload("devanture.png", image_bytes("PNG"))
    response = client.post(report_url(awa_laureate, report_form), {**answers(), "photos_du_commerce": [photo]})
    assert response.status_code == 303
    report = Report.objects.get()
    assert report.laureate == awa_laureate and report.report_form == report_form
    stored = report.answers
    assert stored["chiffre_daffaires_du_semestre"]["value"] == "12000.50"
    assert stored["chiffre_daffaires_du_semestre"]["display"] == "12\u00a0000,50\u00a0€"
    assert stored["embauche_prevue"]["value"] is True and stored["poste_envisage"]["value"].startswith("Serveur")
    assert stored["photos_du_commerce"]["value"] == ["devanture.png"]
    report_file = ReportFile.objects.get()
    assert report_file.file.name.startswith("laureates/") and report_file.field_key == "photos_du_commerce"
    entry = LaureateHistoryEntry.objects.filter(laureate=awa_laureate).latest("pk")
    assert (
        entry.action == "Bilan envoyé : Bilan à 6 mois" and entry.actor == "laureat" and "devanture.png" in entry.detail
    )
    # Sent: the page shows the answers; the laureate downloads their file.
    sent = unescape(client.get(report_url(awa_laureate, report_form)).content.decode())
    assert "Bilan envoyé le" in sent and "12\u00a0000,50\u00a0€" in sent and '<form method="post"' not in sent
    download = client.get(f"/espace-candidat/laureat/bilans/fichiers/{report_file.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    # A double submission (the same POST again): still one report, one history entry, a French message.
    again = client.post(report_url(awa_laureate, report_form), answers(), follow=True)
    assert Report.objects.count() == 1 and ReportFile.objects.count() == 1
    assert LaureateHistoryEntry.objects.filter(action__startswith="Bilan envoyé").count() == 1
    assert again.status_code == 200 and "Ce bilan a déjà été envoyé" in unescape(again.content.decode())


def test_a_condition_not_met_leaves_its_question_out(client, sign_in, awa_laureate, report_form):
    sign_in("awa@example.org")
    response = client.post(report_url(awa_laureate, report_form), answers(embauche_prevue="non", poste_envisage=""))
    assert response.status_code == 303
    assert "poste_envisage" not in Report.objects.get().answers


def test_bad_answers_get_french_messages_and_store_nothing(client, sign_in, awa_laureate, report_form):
    sign_in("awa@example.org")
    response = client.post(
        report_url(awa_laureate, report_form), answers(chiffre_daffaires_du_semestre="beaucoup", poste_envisage="")
    )
    html = unescape(response.content.decode())
    assert response.status_code == 400 and "Il y a 2 erreurs dans le formulaire" in html
    assert not Report.objects.exists() and not LaureateHistoryEntry.objects.filter(action__startswith="Bilan").exists()


def test_a_file_that_fails_the_checks_is_refused_as_for_applications(client, sign_in, awa_laureate, report_form):
    sign_in("awa@example.org")
    forged = upload("photo.png", png_header_then_html())
    response = client.post(report_url(awa_laureate, report_form), {**answers(), "photos_du_commerce": [forged]})
    html = unescape(response.content.decode())
    assert response.status_code == 400 and "photo.png" in html and "Choisissez de nouveau" in html
    assert not Report.objects.exists() and not ReportFile.objects.exists()


def test_a_closed_plan_or_a_closed_form_refuses_the_report(client, sign_in, awa_laureate, report_form):
    sign_in("awa@example.org")
    form = progress_reports.build_form(report_form, answers())
    assert form.is_valid(), form.errors
    # The laureate left the network between the page and the POST: the service's word.
    Laureate.objects.filter(pk=awa_laureate.pk).update(left_at="2027-01-01T00:00:00Z")
    with pytest.raises(progress_reports.ValidationError) as refused:
        progress_reports.send_report(awa_laureate, report_form, form)
    assert "Votre parcours est clos" in refused.value.messages[0]
    # And the space no longer finds the laureate: a 404, like an id that does not exist.
    assert client.post(report_url(awa_laureate, report_form), answers()).status_code == 404
    Laureate.objects.filter(pk=awa_laureate.pk).update(left_at=None)
    # A form the team closed: seen, not sent.
    report_form.is_open = False
    report_form.save()
    page = unescape(client.get(report_url(awa_laureate, report_form)).content.decode())
    assert "Ce bilan est clos" in page
    response = client.post(report_url(awa_laureate, report_form), answers(), follow=True)
    assert "Ce bilan est clos" in unescape(response.content.decode())
    assert not Report.objects.exists()


def test_another_laureate_reaches_nothing_of_a_report(client, sign_in, awa_laureate, bilal_laureate, report_form):
    sign_in("awa@example.org")
    client.post(
        report_url(awa_laureate, report_form),
        {**answers(), "photos_du_commerce": [upload("a.png", image_bytes("PNG"))]},
    )
    report_file = ReportFile.objects.get()
    client.post("/espace-candidat/deconnexion/")
    sign_in("bilal@example.org")
    assert client.get(report_url(awa_laureate, report_form)).status_code == 404
    assert client.post(report_url(awa_laureate, report_form), answers()).status_code == 404
    assert client.get(f"/espace-candidat/laureat/bilans/fichiers/{report_file.pk}/").status_code == 404
    assert Report.objects.count() == 1


def test_a_report_form_of_another_call_is_a_404(client, sign_in, awa_laureate):
    other_call = make_call(awa_laureate.call.get_parent(), slug="autre-appel", title="Autre appel")
    other_form = make_report_form(other_call, title="Autre bilan")
    sign_in("awa@example.org")
    assert client.get(report_url(awa_laureate, other_form)).status_code == 404
    assert client.post(report_url(awa_laureate, other_form), answers()).status_code == 404
    form = progress_reports.build_form(other_form, answers())
    assert form.is_valid()
    with pytest.raises(progress_reports.ValidationError):
        progress_reports.send_report(awa_laureate, other_form, form)
    assert not Report.objects.exists()


def test_a_retry_of_the_service_is_refused(awa_laureate, report_form):
    form = progress_reports.build_form(report_form, answers())
    assert form.is_valid()
    progress_reports.send_report(awa_laureate, report_form, form)
    with pytest.raises(progress_reports.ValidationError) as refused:
        progress_reports.send_report(awa_laureate, report_form, form)
    assert refused.value.code == progress_reports.ALREADY_SENT and "déjà été envoyé" in refused.value.messages[0]
    assert Report.objects.count() == 1


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite's in-memory test database is not shared between threads; run with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_report():
    from wagtail.models import Locale

    from tests.calls.factories import CallIndexPageFactory
    from tests.factories import make_home
    from tests.laureates.plan.fixtures import make_laureate

    Locale.objects.get_or_create(language_code="fr")  # flushed by transactional tests
    call = make_call(CallIndexPageFactory(parent=make_home()), slug="appel-2026", title="Appel 2026")
    laureate = make_laureate(call, "awa@example.org", "Café (exemple)")
    report_form = make_report_form(call)
    forms = [progress_reports.build_form(report_form, answers()) for _ in range(2)]
    assert all(form.is_valid() for form in forms)
    sent, errors = at_once(
        *[lambda form=form: progress_reports.send_report(laureate, report_form, form) for form in forms]
    )
    assert len(sent) == 1 and [(type(error), error.code) for error in errors] == [
        (progress_reports.ValidationError, progress_reports.ALREADY_SENT)
    ]
    assert Report.objects.count() == 1
    assert LaureateHistoryEntry.objects.filter(action__startswith="Bilan envoyé").count() == 1


def test_the_team_reads_and_exports_the_reports_reviewers_do_not(
    client, sign_in, awa_laureate, report_form, moderator, reviewer, django_assert_max_num_queries
):
    sign_in("awa@example.org")
    client.post(
        report_url(awa_laureate, report_form),
        {**answers(), "photos_du_commerce": [upload("devanture.png", image_bytes("PNG"))]},
    )
    report_file = ReportFile.objects.get()
    client.force_login(moderator)
    client.get("/admin/laureats/")  # the session and the admin's first-visit queries
    # As test_admin's pin, +1 for the files of the reports (prefetched once there are reports).
    with django_assert_max_num_queries(15):
        response = client.get(f"/admin/laureats/inspect/{awa_laureate.pk}/")
    page = unescape(response.content.decode())
    assert "Bilans envoyés" in page and "12\u00a0000,50\u00a0€" in page and "devanture.png" in page
    assert client.get(f"/admin/laureats/bilans/fichiers/{report_file.pk}/").status_code == 200
    listing = unescape(client.get("/admin/laureats/bilans/").content.decode())
    assert "Bilan à 6 mois" in listing and "Exporter en XLSX" in listing
    csv = client.get(f"/admin/laureats/bilans/{report_form.pk}/export/csv/")
    text = csv.content.decode("utf-8-sig")
    assert csv.status_code == 200 and "Chiffre d'affaires du semestre" in text and "12\u00a0000,50\u00a0€" in text
    assert "devanture.png" in text and "Café des Quatre-Chemins (exemple)" in text
    xlsx = client.get(f"/admin/laureats/bilans/{report_form.pk}/export/xlsx/")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    headings = [cell.value for cell in sheet[1]]
    row = [cell.value for cell in sheet[2]]
    amount = row[headings.index("Chiffre d'affaires du semestre")]
    assert amount == pytest.approx(12000.50) and sheet.cell(
        2, headings.index("Chiffre d'affaires du semestre") + 1
    ).number_format.endswith('"€"')
    assert row[headings.index("Emplois créés")] == 2 and row[headings.index("Édition")] == awa_laureate.edition
    assert client.get(f"/admin/laureats/bilans/{report_form.pk}/export/pdf/").status_code == 404
    # A form that has reports is not deleted: a French message, the form and its reports stay.
    refused = client.post(f"/admin/laureats/bilans/delete/{report_form.pk}/", follow=True)
    assert "ne peut pas être supprimé" in unescape(refused.content.decode())
    assert Report.objects.filter(report_form=report_form).exists()
    client.force_login(reviewer)
    assert client.get(f"/admin/laureats/bilans/{report_form.pk}/export/csv/").status_code in (302, 403)
    assert client.get(f"/admin/laureats/bilans/fichiers/{report_file.pk}/").status_code in (302, 403)


def test_the_sponsor_report_counts_the_reports_received(awa_laureate, bilal_laureate, report_form):
    from laureates.report import sponsor_report

    assert (
        dict((label, value) for label, value, _kind in sponsor_report(report_form.call).summary())["Bilans reçus"] == 0
    )
    form = progress_reports.build_form(report_form, answers())
    assert form.is_valid()
    progress_reports.send_report(awa_laureate, report_form, form)
    summary = {label: value for label, value, _kind in sponsor_report(report_form.call).summary()}
    assert summary["Bilans reçus"] == 1 and summary["Lauréats"] == 2


def report_form_post(call, fields):
    data = {
        "call": call.pk,
        "title": "Bilan à un an",
        "introduction": "",
        "is_open": "on",
        "sort_order": "0",
        "form_fields-TOTAL_FORMS": str(len(fields)),
        "form_fields-INITIAL_FORMS": "0",
        "form_fields-MIN_NUM_FORMS": "0",
        "form_fields-MAX_NUM_FORMS": "1000",
    }
    for index, (label, field_type, conditions) in enumerate(fields):
        prefix = f"form_fields-{index}-"
        data.update(
            {
                prefix + "label": label,
                prefix + "field_type": field_type,
                prefix + "required": "on",
                prefix + "conditions": conditions,
                prefix + "condition_match": "all",
                prefix + "max_size_mb": "5",
                prefix + "min_entries": "0",
                prefix + "max_entries": "5",
                prefix + "ORDER": str(index + 1),
                prefix + "id": "",
            }
        )
    return data


def test_the_team_builds_a_report_form_with_the_call_forms_checks(client, moderator, plan_call):
    from laureates.models import ReportForm

    client.force_login(moderator)
    assert client.get("/admin/laureats/bilans/new/").status_code == 200
    refused = client.post(
        "/admin/laureats/bilans/new/",
        report_form_post(plan_call, [("Embauche prévue", "yes_no", ""), ("Poste", "singleline", "Inconnu est Oui")]),
    )
    assert refused.status_code == 200 and not ReportForm.objects.exists()
    assert "Inconnu" in unescape(refused.content.decode())
    created = client.post(
        "/admin/laureats/bilans/new/",
        report_form_post(
            plan_call, [("Embauche prévue", "yes_no", ""), ("Poste", "singleline", "Embauche prévue est Oui")]
        ),
    )
    assert created.status_code == 302, unescape(created.content.decode())[-3000:]
    report_form = ReportForm.objects.get()
    assert [f.clean_name for f in report_form.form_fields.all()] == ["embauche_prevue", "poste"]
    form = progress_reports.build_form(report_form, {"embauche_prevue": "non"})
    assert form.is_valid() and "poste" not in form.answers()[0]


def test_the_editor_refuses_to_keep_a_text_after_the_erasure(client, moderator, plan_call):
    from laureates.models import ReportForm

    client.force_login(moderator)
    questions = [("Chiffre d'affaires", "amount", ""), ("Qui a repris le commerce ?", "singleline", "")]
    data = report_form_post(plan_call, questions)
    data["form_fields-0-kept_after_erasure"] = "on"
    data["form_fields-1-kept_after_erasure"] = "on"
    refused = client.post("/admin/laureats/bilans/new/", data)
    assert refused.status_code == 200 and not ReportForm.objects.exists()
    html = unescape(refused.content.decode())
    message = "Seuls un nombre, un montant, un Oui / Non ou un choix peuvent être gardés après l'effacement"
    assert html.count(message) == 1
    # The message stands at the text question's box (the second card's), not at the amount's.
    first, second = (html.index(f'name="form_fields-{index}-kept_after_erasure"') for index in (0, 1))
    assert first < html.index(message) < second
    del data["form_fields-1-kept_after_erasure"]
    created = client.post("/admin/laureats/bilans/new/", data)
    assert created.status_code == 302, unescape(created.content.decode())[-3000:]
    kept = dict(ReportForm.objects.get().form_fields.values_list("field_type", "kept_after_erasure"))
    assert kept == {"amount": True, "singleline": False}


def test_the_editor_refuses_to_keep_a_figure_inside_a_repeatable_section(client, moderator, plan_call):
    from laureates.models import ReportForm

    client.force_login(moderator)
    questions = [
        ("Chiffre d'affaires", "amount", ""),
        ("Salariés embauchés", "section", ""),
        ("Heures par semaine", "number", ""),
    ]
    data = report_form_post(plan_call, questions)
    data["form_fields-1-repeatable"] = "on"
    data["form_fields-1-entry_label"] = "Salarié"
    data["form_fields-0-kept_after_erasure"] = "on"
    data["form_fields-2-kept_after_erasure"] = "on"
    refused = client.post("/admin/laureats/bilans/new/", data)
    assert refused.status_code == 200 and not ReportForm.objects.exists()
    html = unescape(refused.content.decode())
    message = "La question « Heures par semaine » fait partie d'une section répétable"
    assert html.count(message) == 1
    # At the repeated question's box (the third card's), after the amount's, kept before the section.
    second, third = (html.index(f'name="form_fields-{index}-kept_after_erasure"') for index in (1, 2))
    assert second < html.index(message) < third
    del data["form_fields-2-kept_after_erasure"]
    created = client.post("/admin/laureats/bilans/new/", data)
    assert created.status_code == 302, unescape(created.content.decode())[-3000:]
    kept = dict(ReportForm.objects.get().form_fields.values_list("label", "kept_after_erasure"))
    assert kept == {"Chiffre d'affaires": True, "Salariés embauchés": False, "Heures par semaine": False}
