"""Every admin page of the decisions' work in a real browser, at 375 and 1280 px:
axe-core (WCAG 2.1 A/AA), the Nu HTML Checker and a screenshot of each — the queue with its
filters, an application, the reviewer's workspace, the ranking, « Annoncer les décisions »
(its form and previews, and the form with an error), the dashboard with the regional chart,
the call's editor (criteria, decision texts and région targets inline), « Dupliquer
l'appel », the laureates' pages (list, a laureate, creation) and the sponsor's reports
(their list and one edition's report). Then the
workspace's inline previews: the PDF in its sandboxed iframe (or the « Ouvrir le PDF » link
where Chromium has no PDF viewer), the image rendered, and another reviewer refused the same
URLs."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot, sideways_scroll

pytestmark = pytest.mark.e2e

PASSWORD = "motdepasse-solide-42"
CALL_SLUG = "appel-a-candidatures-2026"
FIRST = "QC-2099-0700"
BIDI = "QC-2099-0701"
# U+202E (right-to-left override) then U+2066 (left-to-right isolate), unclosed: shown
# isolated, they must not reorder the admin's text around them.
BIDI_NAME = "Nadia \u202eHaddad"
BIDI_ANSWER = "Un café \u2066solidaire"
LAUREATE_NAME = "Le Comptoir des Izards"


def extra_demo_content(home):
    """Accounts, applications (one with a PDF and a photo, one with bidirectional control
    characters, two spam), reviews, a staged decision and région targets (committed)."""
    from calls.models import CallPage, Status
    from moderation.models import RegionTarget
    from moderation.reviews import assign, criteria_for, save_review
    from moderation.workflow import stage_decision
    from tests.calls.samples import image_bytes
    from tests.moderation.factories import ApplicationFactory, add_attachment, form_data_for, user_in

    call = CallPage.objects.get(slug=CALL_SLUG)
    moderator = user_in("Modérateurs", username="mona", first_name="Mona", last_name="Dupont", password=PASSWORD)
    remi = user_in("Évaluateurs", username="remi", first_name="Rémi", last_name="Martin", password=PASSWORD)
    rita = user_in("Évaluateurs", username="rita", first_name="Rita", last_name="Bernard", password=PASSWORD)
    from home.models import User

    User.objects.create_superuser("ada", "ada@example.org", PASSWORD, first_name="Ada", last_name="Lovelace")

    def application(reference, name, business, region, description, files=(), **kwargs):
        values = {
            "nom_du_commerce": business,
            "type_de_commerce": "Café",
            "commune": "Toulouse",
            "quartier": "Les Izards",
            "region": "Occitanie",
            "nom_et_prenom": name,
            "courriel": f"{reference.lower()}@example.org",
            "description_du_projet": description,
            "business_plan": list(files),
        }
        return ApplicationFactory(
            page=call,
            reference=reference,
            applicant_name=name,
            applicant_email=f"{reference.lower()}@example.org",
            business_name=business,
            town="Toulouse",
            region=region,
            business_kind="cafe",
            form_data=form_data_for(call, values),
            **kwargs,
        )

    first = application(
        FIRST,
        "Inès Garcia",
        "La Passerelle",
        "occitanie",
        "Un tiers-lieu avec des ordinateurs ouverts au public.",
        files=["plan-passerelle.pdf"],
        status=Status.EN_INSTRUCTION,
    )
    add_attachment(first, display_name="plan-passerelle.pdf")
    photo = add_attachment(first, display_name="facade.png", content=image_bytes("PNG", size=(320, 200)))
    type(photo).objects.filter(pk=photo.pk).update(content_type="image/png")
    bidi = application(BIDI, BIDI_NAME, "Le Zinc", "ile-de-france", BIDI_ANSWER, status=Status.EN_INSTRUCTION)
    third = application(
        "QC-2099-0702", "Paul Morel", "Chez Paul", "bretagne", "Une épicerie.", status=Status.PRESELECTIONNEE
    )
    for number in (3, 4):
        application(f"QC-2099-070{number}", "Robot", "Spam", "bretagne", "Achetez !", is_spam=True)
    for item in (first, bidi, third):
        assign(item, remi, moderator)
    assign(third, rita, moderator)
    criteria = criteria_for(third)
    save_review(third, remi, conflict_of_interest=False, scores={c.pk: 4 for c in criteria}, recommendation="oui")
    save_review(third, rita, conflict_of_interest=False, scores={c.pk: 1 for c in criteria}, recommendation="non")
    stage_decision(third, Status.LAUREATE, moderator)
    RegionTarget.objects.create(page=call, region="occitanie", share=20)
    RegionTarget.objects.create(page=call, region="bretagne", share=10)
    # A laureate of the call with its award and payment schedule (the laureates' pages).
    import datetime
    from decimal import Decimal

    from laureates.services import record_payment
    from tests.laureates.factories import make_laureate

    CallPage.objects.filter(pk=call.pk).update(envelope=Decimal("625000"))
    laureate = make_laureate(call=call, business_name=LAUREATE_NAME, region="occitanie", town="Toulouse")
    record_payment(laureate, moderator, amount="7500", planned_on=datetime.date(2026, 9, 1), label="Premier versement")
    record_payment(laureate, moderator, amount="5000", planned_on=datetime.date(2027, 3, 1), label="Solde")


def log_in(page, demo_site, username):
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))


def laureate_pk():
    from laureates.models import Laureate

    return Laureate.objects.get(business_name=LAUREATE_NAME).pk


def report_form_pk():
    from laureates.demo import REPORT_TITLE
    from laureates.models import ReportForm

    return ReportForm.objects.get(title=REPORT_TITLE).pk


def ids():
    from calls.models import Application, CallPage

    call = CallPage.objects.get(slug=CALL_SLUG)
    first = Application.objects.get(reference=FIRST)
    return call, first, list(first.attachments.order_by("pk"))


def pages_by_user():
    """``{username: [(name, path)]}``: every admin page of the decisions' work, with whom to open it."""
    call, first, _files = ids()
    return {
        "mona": [
            ("file des candidatures", f"/admin/moderation/?call={call.pk}"),
            ("candidature", f"/admin/moderation/application/{first.pk}/"),
            ("classement", f"/admin/moderation/call/{call.pk}/ranking/"),
            ("annoncer les decisions", f"/admin/moderation/call/{call.pk}/announce/"),
            ("tableau de bord", "/admin/"),
            ("rapports au mecene", "/admin/rapports/"),
            ("rapport au mecene", f"/admin/rapports/{call.pk}/"),
            ("lauréats", "/admin/laureats/"),
            ("fiche du lauréat", f"/admin/laureats/inspect/{laureate_pk()}/"),
            ("nouveau lauréat", "/admin/laureats/new/"),
            ("effacer les coordonnées", f"/admin/laureats/{laureate_pk()}/effacer-coordonnees/"),
            ("formulaires de bilan", "/admin/laureats/bilans/"),
            ("formulaire de bilan", f"/admin/laureats/bilans/edit/{report_form_pk()}/"),
        ],
        "remi": [
            ("espace evaluateur", f"/admin/moderation/application/{first.pk}/review/"),
            ("accueil evaluateur", "/admin/"),
        ],
        "ada": [
            ("editeur de l'appel", f"/admin/pages/{call.pk}/edit/"),
            ("dupliquer l'appel", f"/admin/appels/{call.pk}/dupliquer/"),
        ],
    }


# Wagtail's own markup in the page editor and the copy view, which the project cannot change
# (Wagtail 8.0.1); every other failure fails the test.
# axe-core: Draft.js's contenteditable (Draftail, the rich text fields) has role="textbox"
# and no accessible name of its own (its label is outside, tied by nothing).
# Its minimap (the panels' outline, at the side) is a scrollable list with nothing focusable
# in it when collapsed.
WAGTAIL_AXE = {
    "aria-input-field-name": ".public-DraftEditor-content",
    "scrollable-region-focusable": ".w-minimap__list",
}
# Nu HTML Checker: (start of the message, a piece of the offending markup).
WAGTAIL_VNU = [
    ("Attribute “type” not allowed on element “div”", 'data-controller="w-dropdown"'),  # breadcrumbs
    ("Element “div” not allowed as child of element “button”", "data-side-panel-toggle-counter"),
    ("Element “div” not allowed as child of element “label”", "form-side__resize-grip-icon"),
    ("Bad value", "w-human-readable-date__date"),  # <time datetime> with microseconds
    ("Text not allowed in element “iframe”", ""),  # the preview panel's iframe fallback
    ("Duplicate attribute “value”.", "-ORDER"),  # InlinePanel's ORDER input (value given twice)
    ("An “input” element with a “type” attribute whose value is “hidden”", 'type="hidden"'),  # choosers, rich text
    ("The value of the “for” attribute of the “label” element", "<label"),  # labels of those hidden inputs
    ("Bad value “” for attribute", "chooser__image"),  # the empty image chooser
    ("Attribute “required” ", 'name="new_parent_page"'),  # copy view's hidden parent chooser
    ("Attribute “required” ", 'name="call"'),  # the report form's page chooser (the call): its hidden input
    ("Attribute “required” ", 'name="kind"'),  # the session editor's snippet chooser (its kind): the same
    ("Element “div” not allowed as child of element “button”", "w-flex w-items-center w-gap-2"),  # listing filters
]
# The laureates' pages are Wagtail's generic views (ModelViewSet): the same Wagtail markup.
WAGTAIL_GENERIC_PAGES = {
    "lauréats",
    "fiche du lauréat",
    "nouveau lauréat",
    "effacer les coordonnées",
    "formulaires de bilan",
    "formulaire de bilan",
}


def wagtail_markup(message):
    extract = message.get("extract") or ""
    return any(message["message"].startswith(start) and piece in extract for start, piece in WAGTAIL_VNU)


def announce_with_an_error(page):
    """« Annoncer les décisions » sent « later » without a date: the form shows its error."""
    page.get_by_label("À une date et une heure").check()
    page.get_by_label("J'ai relu les avertissements et j'envoie quand même").check()
    page.get_by_role("button", name="Annoncer les décisions").click()
    expect(page.get_by_text("Indiquez la date et l'heure de l'annonce.")).to_be_visible()


def open_form_tab(page):
    """The call editor's « Formulaire » tab, where the criteria, decision texts and région
    targets are edited inline."""
    page.get_by_role("tab", name="Formulaire").click()
    expect(page.get_by_text("Critères d'évaluation (notes de 0 à 5)").first).to_be_visible()


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_passes_axe(demo_site, page_at, width):
    sideways = []
    for username, pages in pages_by_user().items():
        page = page_at(width)
        log_in(page, demo_site, username)
        for name, path in pages:
            response = page.goto(demo_site.at(path))
            assert response.status == 200, path
            page.wait_for_load_state("networkidle")
            check_axe(page, name, ignore=WAGTAIL_AXE if username == "ada" else None)
            screenshot(page, f"moderation-{name}")
            # Wide tables (the queue, the ranking, the dashboard's panels, the sponsor's report)
            # scroll in their own box (home/static/home/admin.css), never the page.
            overflow, cut_off = sideways_scroll(page)
            if overflow or cut_off:
                sideways.append(f"{name}: the page scrolls sideways by {overflow} px, tables cut off: {cut_off}")
            if name == "annoncer les decisions":
                announce_with_an_error(page)
                check_axe(page, "annoncer les decisions (erreur)")
                screenshot(page, "moderation-annoncer-erreur")
            if name == "editeur de l'appel":
                open_form_tab(page)
                check_axe(page, "editeur de l'appel (formulaire)", ignore=WAGTAIL_AXE)
                screenshot(page, "moderation-editeur-formulaire")
    assert not sideways, "\n".join(sideways)


def test_every_page_is_valid_html(demo_site, page_at, validator):
    from tests.e2e.harness import format_vnu_messages, run_vnu

    documents, wagtail_pages = {}, set()
    for username, pages in pages_by_user().items():
        page = page_at(1280)
        log_in(page, demo_site, username)
        for name, path in pages:
            response = page.request.get(demo_site.at(path))
            assert response.status == 200, path
            documents[name] = response.text()
            if username == "ada" or name in WAGTAIL_GENERIC_PAGES:
                wagtail_pages.add(name)
            if name == "annoncer les decisions":
                page.goto(demo_site.at(path))
                token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
                # Sent « later » without a date: the page again, with the form's error.
                error = page.request.post(
                    demo_site.at(path),
                    form={"csrfmiddlewaretoken": token, "send": "later", "scheduled_for": "", "confirm_warnings": "on"},
                    headers={"Referer": demo_site.at(path)},
                )
                assert "Indiquez la date et l&#x27;heure de l&#x27;annonce." in error.text()
                documents["annoncer les decisions (erreur)"] = error.text()
    report = run_vnu(documents)
    errors = [
        message
        for name, messages in report.items()
        for message in messages
        if message.get("type") == "error" and not (name in wagtail_pages and wagtail_markup(message))
    ]
    assert not errors, format_vnu_messages(errors)


def test_the_queue_filters_are_dropdowns_and_the_list_fits_at_1280(demo_site, page_at):
    page = page_at(1280)
    log_in(page, demo_site, "mona")
    page.goto(demo_site.at("/admin/moderation/"))
    expect(page.get_by_text("2 candidatures indésirables sont masquées.")).to_be_visible()
    for label in ("Appel", "Statut", "Région", "Date d'envoi", "Indésirables"):
        expect(page.get_by_label(label, exact=True)).to_have_count(1)
    # No horizontal scrolling: the list is as wide as its column.
    widths = page.evaluate(
        "() => [document.querySelector('.result-list table').scrollWidth,"
        " document.querySelector('.result-list').clientWidth]"
    )
    screenshot(page, "moderation-file-1280", full_page=False)
    assert widths[0] <= widths[1], widths
    page.get_by_label("Région", exact=True).select_option(label="Occitanie")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**region=occitanie**")
    expect(page.get_by_role("link", name=FIRST)).to_be_visible()
    expect(page.get_by_role("link", name=BIDI)).to_have_count(0)  # Île-de-France
    regions = page.locator(".result-list table.listing tbody td.field-region").all_inner_texts()
    assert regions and set(regions) == {"Occitanie"}, regions
    page.get_by_role("link", name="Effacer les filtres").click()
    page.get_by_role("link", name="Les afficher").click()
    page.wait_for_url("**spam=1**")
    expect(page.locator(".result-list table.listing tbody tr")).to_have_count(2)
    expect(page.get_by_label("Indésirables", exact=True)).to_have_value("1")
    screenshot(page, "moderation-file-indesirables")


def test_the_workspace_shows_the_pdf_and_the_image_inline_only_to_their_reviewer(demo_site, page_at):
    _call, first, (pdf, image) = ids()
    page = page_at(1280)
    log_in(page, demo_site, "remi")
    responses = {}
    page.on("response", lambda response: responses.setdefault(response.url, response))
    page.goto(demo_site.at(f"/admin/moderation/application/{first.pk}/review/"))
    preview = f"/admin/moderation/attachment/{pdf.pk}/preview/"
    frame = page.locator(f'iframe[src="{preview}"]')
    frame.scroll_into_view_if_needed()
    expect(frame).to_be_visible()
    # The image is drawn (decoded with its own size), from the permission-checked view.
    photo = page.get_by_role("img", name="Image jointe : \u2068facade.png\u2069")
    photo.scroll_into_view_if_needed()
    expect(photo).to_have_attribute("src", f"/admin/moderation/attachment/{image.pk}/preview/")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 320
    # The fallback is always there, whether or not the browser shows PDFs.
    expect(page.get_by_role("link", name="Ouvrir le PDF (nouvel onglet)")).to_have_attribute("href", preview)
    frame.element_handle().content_frame().wait_for_load_state()
    inner = frame.element_handle().content_frame()
    assert inner.url.endswith(preview)
    # Sandboxed by its own response, as Chromium received it.
    headers = responses[demo_site.at(preview)].all_headers()
    assert headers["content-type"] == "application/pdf"
    assert headers["content-security-policy"].endswith("; sandbox")
    assert headers["content-disposition"].startswith("inline")
    assert "This page has been blocked" not in inner.evaluate("document.body.innerText")
    if page.evaluate("navigator.pdfViewerEnabled"):
        # Chromium's viewer took the PDF (a sandbox attribute on the iframe would have it
        # « blocked »): the viewer's extension frame and its plugin are there.
        for _attempt in range(40):
            plugins = [f for f in page.frames if f.url.endswith(preview) and f.locator("embed").count()]
            if plugins:
                break
            page.wait_for_timeout(100)
        assert any(f.url.startswith("chrome-extension://") for f in page.frames), [f.url for f in page.frames]
        expect(plugins[0].locator("embed[type='application/x-google-chrome-pdf']")).to_have_count(1)
    screenshot(page, "moderation-apercu-pdf", full_page=False)

    # Another reviewer, and the same URLs: not found.
    other = page_at(1280)
    log_in(other, demo_site, "rita")
    for path in (
        preview,
        f"/admin/moderation/attachment/{image.pk}/preview/",
        f"/admin/moderation/attachment/{pdf.pk}/",
    ):
        assert other.request.get(demo_site.at(path)).status == 404, path
    assert other.goto(demo_site.at(f"/admin/moderation/application/{first.pk}/review/")).status == 404
