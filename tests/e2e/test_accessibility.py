"""Every page type passes axe-core's WCAG 2.1 A/AA rules at 375 and 1280 px (and is screenshotted)."""

import pytest

from .harness import check_axe, public_pages_by_type, screenshot

pytestmark = pytest.mark.e2e

OTHER_PAGES = {
    "recherche": "/recherche/",
    "recherche (résultats)": "/recherche/?q=caf%C3%A9",
    "recherche (aucun résultat)": "/recherche/?q=zzzzzz",
    "lauréats filtrés": "/laureats/?region=ile-de-france&kind=cafe",
    "lauréats (aucun résultat)": "/laureats/?region=corse",
    "page introuvable (404)": "/cette-page-n-existe-pas/",
    # One page per type comes from the demo (news index and page, the four legal pages);
    # the yearly archive of the news is a route of the index.
    "actualités de 2026": "/actualites/2026/",
    "prévenez-moi du prochain appel": "/prevenez-moi/",
    "prévenez-moi (merci)": "/prevenez-moi/merci/",
    "prévenez-moi (lien de désinscription invalide)": "/prevenez-moi/desinscription/faux/",
}


@pytest.mark.parametrize("width", [375, 1280])
def test_every_page_type_passes_axe(demo_site, page_at, width):
    pages = {f"{label} {page.url}": page.url for label, page in public_pages_by_type()[0].items()}
    pages.update(OTHER_PAGES)
    page = page_at(width)
    failures = []
    for name, path in pages.items():
        page.goto(demo_site.at(path))
        screenshot(page, f"type-{name}")
        try:
            check_axe(page, name)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n\n".join(failures)


def test_axe_reports_violations(demo_site, page_at):
    """The harness fails on a real violation (an image without alternative text), naming the rule."""
    page = page_at(375)
    page.goto(demo_site.at("/"))
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    with pytest.raises(AssertionError, match=r"image-alt \[critical\]"):
        check_axe(page, "accueil modifiée")
