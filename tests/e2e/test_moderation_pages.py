"""Every admin page of the decisions' work (issue 11) in a real browser, at 375 and 1280 px:
axe-core (WCAG 2.1 A/AA), the Nu HTML Checker and a screenshot of each — the queue with its
filters, an application, the reviewer's workspace, the ranking, « Annoncer les décisions »
(its form and previews, and the form with an error), the dashboard with the regional chart,
the call's editor (criteria, decision texts and région targets inline) and « Dupliquer
l'appel ». Then the workspace's inline previews: the PDF in its sandboxed iframe (or the
« Ouvrir le PDF » link where Chromium has no PDF viewer), the image rendered, and another
reviewer refused the same URLs."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "motdepasse-solide-42"
CALL_SLUG = "appel-a-candidatures-2026"
FIRST = "QC-2099-0700"
BIDI = "QC-2099-0701"
# U+202E (right-to-left override) then U+2066 (left-to-right isolate), unclosed: shown
# isolated, they must not reorder the admin's text around them.
BIDI_NAME = "Nadia \u202eHaddad"
BIDI_ANSWER = "Un café \u2066solidaire"


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


def log_in(page, demo_site, username):
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(demo_site.at("/admin/"))
