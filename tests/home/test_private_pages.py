"""Pages holding something private (the applicant's space, a page reached through a secret link)
are never cached anywhere and never indexed: ``home.private.private_view`` on each of them."""

import pytest

pytestmark = pytest.mark.django_db

PRIVATE_PAGES = [
    "/espace-candidat/",  # the space's sign-in page
    "/espace-candidat/connexion/jeton-invalide/",  # a sign-in link
    "/espace-candidat/ressources/",  # the network's resources (sign-in first)
    "/espace-candidat/annuaire/",  # the members' directory (sign-in first)
    "/seances/inscription/jeton-invalide/",  # a registration's own page
    "/prevenez-moi/confirmer/jeton-invalide/",  # the mailing list's confirmation
    "/prevenez-moi/desinscription/jeton-invalide/",  # and its unsubscription
]


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_a_private_page_is_never_stored_nor_indexed(client, path):
    response = client.get(path)
    assert response.status_code < 500, path  # a page, a redirection to sign in, or « lien invalide »
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], path
    assert response["X-Robots-Tag"] == "noindex", path
