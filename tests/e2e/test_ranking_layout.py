"""The ranking at 1280 px: the QPV cell in one short line (not a commune's whole list of
QPV), rows of normal height, the « Avis » column on screen; « Préparer : lauréate » offered
only for rows where it can succeed. axe and a screenshot at 375 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import check_axe, screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "motdepasse-solide-42"
MARSEILLE = {
    "qpv_method": "commune",
    "qpv_code": " ".join(f"QN13{n:02d}M" for n in range(23)),
    "qpv_name": " ; ".join(f"Quartier exemple {n}" for n in range(23)),
    "commune_code": "13055",
    "town": "Marseille",
    "region": "provence-alpes-cote-d-azur",
}


def extra_demo_content(home):
    from calls.models import CallPage, Status
    from tests.moderation.factories import ApplicationFactory, user_in

    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    for n, status in enumerate([Status.EN_INSTRUCTION, Status.PRESELECTIONNEE, Status.EN_INSTRUCTION]):
        ApplicationFactory(
            page=call, status=status, applicant_name=f"Candidate {n}", business_name=f"Épicerie {n}", **MARSEILLE
        )
    ApplicationFactory(
        page=call,
        status=Status.PRESELECTIONNEE,
        applicant_name="Placée sur la carte",
        qpv_method="carte",
        qpv_code="QN07511M",
        qpv_name="Goutte D'Or",
        qpv_distance_m=1234,
    )
    user_in("Modérateurs", username="rosa", is_superuser=True, is_staff=True, password=PASSWORD)


def ranking_url(demo_site):
    from calls.models import CallPage

    call = CallPage.objects.get(slug="appel-a-candidatures-2026")
    return demo_site.at(f"/admin/moderation/call/{call.pk}/ranking/")


def log_in(page, demo_site):
    page.goto(demo_site.at("/admin/login/"))
    page.locator("#id_username").fill("rosa")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/admin/$"))


def test_the_ranking_fits_1280_px_with_short_qpv_cells(demo_site, page_at):
    page = page_at(1280)
    log_in(page, demo_site)
    page.goto(ranking_url(demo_site))
    table = page.locator("table.moderation-ranking")
    expect(table).to_be_visible()
    # On screen: inside the page and inside the table's scrolling box, without scrolling it.
    avis = table.get_by_role("columnheader", name="Avis")
    box = avis.bounding_box()
    scroller = page.locator(".moderation-scroll").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= min(1280, scroller["x"] + scroller["width"]), (box, scroller)
    # The rows of this module's applications (short names): the QPV cell never makes them
    # tall. The demo's example rows carry longer business names (« Exemple — … »).
    own = table.locator("tbody tr").filter(has_text=re.compile(r"Candidate \d|Placée sur la carte"))
    heights = [row.bounding_box()["height"] for row in own.all()]
    assert len(heights) == 4, heights
    assert heights and max(heights) < 120, heights
    cells = table.locator("td.moderation-ranking__qpv").all_inner_texts()
    assert "à vérifier\nadresse non localisée" in cells, cells
    assert not any("Quartier exemple" in cell for cell in cells)
    assert any(cell.startswith("à 1,2 km") for cell in cells), cells
    check_axe(page, "classement")
    screenshot(page, "classement", full_page=False)


@pytest.mark.parametrize("width", [375, 1280])
def test_prepare_laureate_is_offered_only_for_shortlisted_rows(demo_site, page_at, width):
    page = page_at(width)
    log_in(page, demo_site)
    page.goto(ranking_url(demo_site))
    laureate = page.get_by_role("button", name="Préparer : lauréate")
    shortlist = page.get_by_role("button", name="Présélectionner")
    expect(laureate).to_be_hidden()
    expect(page.locator("[data-ranking-hint]")).to_have_text("Cochez des candidatures pour voir ce qui peut être fait.")
    reviewing = page.locator("tr", has_text="Candidate 0").get_by_role("checkbox")
    shortlisted = page.locator("tr", has_text="Candidate 1").get_by_role("checkbox")
    reviewing.check()
    expect(shortlist).to_be_visible()
    expect(laureate).to_be_hidden()
    reviewing.uncheck()
    shortlisted.check()
    expect(laureate).to_be_visible()
    expect(shortlist).to_be_hidden()
    check_axe(page, "classement-selection")
    screenshot(page, "classement-selection")
    laureate.click()
    expect(page.get_by_text("1 décision « Lauréate » préparée")).to_be_visible()
